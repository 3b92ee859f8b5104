/**
 * results.csv's attempts column counts the requests sent for the row itself: two writes to the
 * same user in flight at once, one answered 503 then 204, the other 204, are 2 and 1 attempts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { patchUser } from '../../lib/apply/users';
import { createGraphClient } from '../../lib/graph/client';
import { Tries } from '../../lib/graph/retry';
import { fastClock } from '../tenant/harness';

test('each write counts its own tries, whatever else goes to the same user', async () => {
  let answered = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      // The first request to arrive is refused once; the other is sent meanwhile.
      const first = answered++ === 0;
      res.writeHead(first ? 503 : 204, first ? { 'content-type': 'application/json', 'retry-after': '1' } : {});
      res.end(first ? JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'busy' } }) : undefined);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const client = createGraphClient({ graphUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens: { token: async () => 't' }, clock: fastClock() });
    const [a, b] = [new Tries(), new Tries()];
    const answers = await Promise.all([patchUser(client, 'u1', { onPremisesImmutableId: 'x' }, a), patchUser(client, 'u1', { onPremisesImmutableId: 'y' }, b)]);
    expect(answers.map((x) => x.status)).toEqual([204, 204]);
    expect([a.count, b.count].sort()).toEqual([1, 2]);
    expect(answered).toBe(3);
  } finally {
    server.close();
  }
});
