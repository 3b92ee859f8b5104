/** Time as the Graph client sees it: injectable so tests can shrink Retry-After waits without special cases. */
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => delay(ms),
};
