import { RESOURCE_UNIT_LIMIT, WRITE_LIMIT, WindowLimiter, priceOf } from '../../lib/graph/limits';
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
