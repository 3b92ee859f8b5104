/**
 * Failures a real tenant has on a bad day, injected on purpose: gateway 503s and 504s, connections
 * dropped before or in the middle of an answer, added latency. Drawn from a seeded generator so a
 * failing run can be repeated exactly.
 */
import { mulberry32 } from '../core/prng';

export interface FaultOptions {
  /** Fractions of requests, each 0..1. */
  rate503: number;
  rate504: number;
  rateDrop: number;
  /** Each request waits a random 0..latencyMs first. */
  latencyMs: number;
  seed: number;
}

export const NO_FAULTS: FaultOptions = { rate503: 0, rate504: 0, rateDrop: 0, latencyMs: 0, seed: 1 };

export type FaultKind = 'none' | '503' | '504' | 'drop-before' | 'drop-during';

export interface Fault {
  kind: FaultKind;
  delayMs: number;
}

export class FaultPlan {
  private readonly random: () => number;

  constructor(private readonly options: FaultOptions) {
    this.random = mulberry32(options.seed);
  }

  next(): Fault {
    const { rate503, rate504, rateDrop, latencyMs } = this.options;
    const delayMs = latencyMs > 0 ? Math.floor(this.random() * latencyMs) : 0;
    const r = this.random();
    let kind: FaultKind = 'none';
    if (r < rate503) kind = '503';
    else if (r < rate503 + rate504) kind = '504';
    // Half the drops happen after part of the body went out: a client must not trust a response until it is whole.
    else if (r < rate503 + rate504 + rateDrop) kind = this.random() < 0.5 ? 'drop-before' : 'drop-during';
    return { kind, delayMs };
  }
}
