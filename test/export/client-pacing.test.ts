import { PacedLimiter, RESOURCE_UNIT_LIMIT, WRITE_LIMIT, WindowLimiter, priceOf } from '../../lib/graph/limits';
import { type RetryEvent, RetryStep } from '../../lib/graph/retry';
import { fastClock } from '../tenant/harness';

describe("the client's own pacing under Graph's budgets", () => {
  it('prices requests as Graph does', () => {
    expect(priceOf('GET', 'https://graph.microsoft.com/v1.0/users?$select=id&$top=999', undefined)).toEqual({ units: 1, writes: 0 });
    expect(priceOf('GET', 'https://graph.microsoft.com/v1.0/users', undefined)).toEqual({ units: 2, writes: 0 });
    expect(priceOf('PATCH', 'https://graph.microsoft.com/v1.0/users/x', '{}')).toEqual({ units: 1, writes: 1 });
    const batch = JSON.stringify({ requests: [{ method: 'PATCH', url: '/users/a' }, { method: 'PATCH', url: '/users/b' }, { method: 'GET', url: '/users/c?$select=id' }] });
    expect(priceOf('POST', 'https://graph.microsoft.com/v1.0/$batch', batch)).toEqual({ units: 3, writes: 2 });
  });

  it('lets 3,000 writes through in a window and holds the next one until the window ends', async () => {
    const clock = fastClock();
    const writes = new WindowLimiter(WRITE_LIMIT, clock);
    for (let i = 0; i < 3_000; i++) await writes.take(1);
    expect(clock.slept).toEqual([]);
    await writes.take(1);
    expect(clock.slept).toEqual([150_000]);
  });

  it('keeps its state per instance', async () => {
    const clock = fastClock();
    const a = new WindowLimiter(RESOURCE_UNIT_LIMIT, clock);
    const b = new WindowLimiter(RESOURCE_UNIT_LIMIT, clock);
    await a.take(3_500);
    await b.take(3_500);
    expect(clock.slept).toEqual([]);
  });
});

describe('apply-side pacing and back-off', () => {
  it('spaces writes evenly just under the budget instead of spending it in a burst', async () => {
    const clock = fastClock();
    const writes = new PacedLimiter({ limit: 3_000, windowMs: 150_000 }, clock);
    const at: number[] = [];
    const start = clock.now();
    for (let i = 0; i < 4; i++) {
      await writes.take(1);
      at.push(clock.now() - start);
    }
    // 150 s / 3,000 writes = 50 ms, kept at 99% of the budget: one write every 50.5 ms.
    expect(at.map((t) => Math.round(t * 10) / 10)).toEqual([0, 50.5, 101, 151.5]);
  });

  it('makes every request of a client wait out a 429, not only the one that got it', async () => {
    // Time stands still here, so the pause a 429 sets stays ahead of every later request.
    const sleeps: number[] = [];
    const clock = { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
    const events: RetryEvent[] = [];
    const step = new RetryStep({ maxRetries: 2, fallbackDelayMs: 1_000, maxFallbackDelayMs: 1_000 }, clock, (e) => events.push(e), () => 1);
    const answers = [429, 204, 204];
    step.setNext({
      execute: async (context) => {
        const status = answers.shift()!;
        context.response = new Response(null, { status, headers: status === 429 ? { 'Retry-After': '2.5' } : {} });
      },
      setNext: () => undefined,
    });
    await step.execute({ request: 'https://graph.microsoft.com/v1.0/users/a', options: {} } as never);
    expect(sleeps).toEqual([2_500]);
    await step.execute({ request: 'https://graph.microsoft.com/v1.0/users/b', options: {} } as never);
    // b was never throttled itself, yet waits out the Retry-After a got.
    expect(sleeps).toEqual([2_500, 2_500]);
    // The one 429 is reported with the throttled time it adds to the shared pause.
    expect(events.map((e) => [e.reason, e.waitMs, e.pauseAddedMs])).toEqual([['429', 2_500, 2_500]]);
  });

  it('keeps a waiting request waiting when another 429 lengthens the pause meanwhile', async () => {
    // A virtual clock whose sleepers wake in time order, so two requests can wait at once.
    let t = 0;
    const timers: { at: number; wake: () => void }[] = [];
    const clock = { now: () => t, sleep: (ms: number) => new Promise<void>((wake) => void timers.push({ at: t + ms, wake })) };
    const settle = () => new Promise((r) => setImmediate(r));
    const step = new RetryStep({ maxRetries: 3, fallbackDelayMs: 1_000, maxFallbackDelayMs: 1_000 }, clock, () => undefined, () => 1);
    const answers: Record<string, number[]> = { a: [429, 204], b: [429, 204] };
    const sent: Record<string, number[]> = { a: [], b: [] };
    step.setNext({
      execute: async (context) => {
        const who = String(context.request).slice(-1);
        sent[who].push(t);
        const status = answers[who].shift()!;
        // b was sent with a, and its 429 (Retry-After 3 s) arrives half a second later, while a waits out its 1 s.
        if (who === 'b' && status === 429) await clock.sleep(500);
        context.response = new Response(null, { status, headers: status === 429 ? { 'Retry-After': who === 'a' ? '1' : '3' } : {} });
      },
      setNext: () => undefined,
    });
    const done = Promise.all(['a', 'b'].map((who) => step.execute({ request: `https://graph.microsoft.com/v1.0/users/${who}`, options: {} } as never)));
    for (await settle(); timers.length > 0; await settle()) {
      timers.sort((x, y) => x.at - y.at);
      const next = timers.shift()!;
      t = next.at;
      next.wake();
    }
    await done;
    // a goes again when b's longer pause is over, not at the end of its own 1 s: Graph counts requests sent while throttled.
    expect(sent).toEqual({ a: [0, 3_500], b: [0, 3_500] });
  });
});
