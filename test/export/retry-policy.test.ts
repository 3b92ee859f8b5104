import { DEFAULT_RETRY, parseRetryAfter, retryDelay } from '../../lib/graph/retry';

const NOW = Date.parse('2026-11-22T03:00:00Z');

describe('when the Graph client retries', () => {
  it('reads Retry-After as seconds, fractional ones included, or as an HTTP date', () => {
    expect(parseRetryAfter('2.128', NOW)).toBe(2_128);
    expect(parseRetryAfter('0.0001', NOW)).toBe(1);
    expect(parseRetryAfter('30', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 03:00:05 GMT', NOW)).toBe(5_000);
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });

  it('retries 429, 503, 504 and dropped connections, and nothing else', () => {
    const wait = (status: number) => retryDelay({ status, retryAfter: null }, 0, DEFAULT_RETRY, NOW);
    expect([429, 503, 504].map(wait)).toEqual([1_000, 1_000, 1_000]);
    expect([200, 204, 400, 401, 403, 404, 500, 502].map(wait)).toEqual(Array(8).fill(undefined));
    expect(retryDelay({ networkError: new TypeError('fetch failed') }, 0, DEFAULT_RETRY, NOW)).toBe(1_000);
  });

  it("obeys Graph's Retry-After, else doubles a fallback delay up to its ceiling, and stops after maxRetries", () => {
    const policy = { maxRetries: 8, fallbackDelayMs: 1_000, maxFallbackDelayMs: 30_000 };
    expect(retryDelay({ status: 429, retryAfter: '120' }, 0, policy, NOW)).toBe(120_000);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelay({ status: 503, retryAfter: null }, n, policy, NOW))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, undefined,
    ]);
  });
});
