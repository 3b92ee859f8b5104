/**
 * JSON batching: dependsOn runs the prerequisite first and answers 424 when it failed; a body needs
 * a Content-Type header; ids are unique without regard to case; answers come in any order.
 * Page: https://learn.microsoft.com/graph/json-batching
 */
import { type Http, error, http } from './http';
import { USERS, uid } from './users';

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const byId = (answer: { body: { responses: { id: string; status: number }[] } }) => Object.fromEntries(answer.body.responses.map((r) => [r.id, r]));

describe('$batch', () => {
  let g: Http;
  beforeAll(async () => {
    g = await http(USERS());
  });
  afterAll(() => g.close());

  it('answers 424 Failed Dependency, without running it, for a step whose prerequisite failed', async () => {
    const answer = await g.batch([
      { id: 'move', method: 'PATCH', url: `/users/${uid(0)}`, body: { displayName: 'Ann (synced)' }, headers: JSON_HEADERS },
      { id: 'rename', method: 'PATCH', url: `/users/${uid(3)}`, body: { displayName: 'Renamed' }, headers: JSON_HEADERS, dependsOn: ['move'] },
    ]);
    const r = byId(answer);
    expect([r.move.status, r.rename.status]).toEqual([400, 424]);
    expect((await g.get(`/v1.0/users/${uid(3)}?$select=displayName`)).body.displayName).toBe("Pat O'Brien");
  });

  it('runs a prerequisite first, so the step that depends on it sees its change', async () => {
    const r = byId(
      await g.batch([
        { id: 'read', method: 'GET', url: `/users/${uid(2)}?$select=jobTitle`, dependsOn: ['write'] },
        { id: 'write', method: 'PATCH', url: `/users/${uid(2)}`, body: { jobTitle: 'Robot' }, headers: JSON_HEADERS },
      ]),
    );
    expect(r.read).toMatchObject({ status: 200, body: { jobTitle: 'Robot' } });
  });

  it('refuses a step with a body and no Content-Type header', async () => {
    expect(error(await g.batch([{ id: '1', method: 'PATCH', url: `/users/${uid(3)}`, body: { displayName: 'X' } }]))).toEqual({
      status: 400,
      code: 'BadRequest',
      message: 'Write request id : 1 does not contain Content-Type header or body.',
    });
  });

  it('compares ids without regard to case', async () => {
    const twice = [
      { id: 'a', method: 'GET', url: `/users/${uid(1)}` },
      { id: 'A', method: 'GET', url: `/users/${uid(2)}` },
    ];
    expect(error(await g.batch(twice))).toEqual({ status: 400, code: 'BadRequest', message: 'Batch request contains duplicate ids.' });
  });

  it('answers in a shuffled order, the same for the same seed, so clients must match by id', async () => {
    const requests = Array.from({ length: 12 }, (_, i) => ({ id: String(i), method: 'GET', url: `/users/${uid(i % 6)}?$select=id` }));
    const order = async (seed: number) => {
      const t = await http(USERS(), { batchSeed: seed });
      try {
        return (await t.batch(requests)).body.responses.map((r: { id: string }) => r.id);
      } finally {
        await t.close();
      }
    };
    const first = await order(7);
    expect(first).not.toEqual(requests.map((r) => r.id));
    expect([...first].sort((a, b) => Number(a) - Number(b))).toEqual(requests.map((r) => r.id));
    expect(await order(7)).toEqual(first);
  });
});
