/**
 * The join indexes: the first row of each key, repeats flagged on every row of the key, -1 for a key no row has,
 * however the keys' hashes collide (a slot keeps part of the hash, so equal parts must still compare bytes).
 */
import { Anchor, GuidIndex, IdKind, KeyIndex, hashBytes } from '../lib/core/tables';

/** Rows 0 to n - 1. */
const rowsUpTo = (n: number): number[] => Array.from({ length: n }, (_, r) => r);

/** Text keys in one arena, with the hash of each given (or hashBytes). */
function textKeys(keys: string[], hash = (k: string, b: Uint8Array, at: number) => hashBytes(b, at, Buffer.byteLength(k))) {
  const bytes = Buffer.from(keys.join(''));
  const at = new Int32Array(keys.length);
  const len = new Int32Array(keys.length);
  const hashes = new Int32Array(keys.length);
  let pos = 0;
  keys.forEach((k, i) => {
    at[i] = pos;
    len[i] = Buffer.byteLength(k);
    hashes[i] = hash(k, bytes, pos);
    pos += len[i];
  });
  const index = new KeyIndex(keys.length, bytes, at, len, hashes);
  index.addAll();
  const find = (k: string, h = hash(k, Buffer.from(k), 0)) => index.find(Buffer.from(k), 0, Buffer.byteLength(k), h);
  return { index, find };
}

test('a text index keeps the first row of each key and flags the keys that repeat', () => {
  const { index, find } = textKeys(['ann', 'bob', 'ann', '', 'carl', 'ann', 'bo']);
  expect(rowsUpTo(7).map((r) => index.firstOf(r))).toEqual([0, 1, 0, -1, 4, 0, 6]);
  expect(rowsUpTo(7).map((r) => index.isRepeated(r))).toEqual([true, false, true, false, false, true, false]);
  expect(rowsUpTo(7).map((r) => index.isFirst(r))).toEqual([true, true, false, false, true, false, true]);
  expect([find('ann'), find('bob'), find('bo'), find('carl'), find('dave'), find('b')]).toEqual([0, 1, 6, 4, -1, -1]);
});

test('keys with the same hash, or the same slot and another hash, are still told apart by their bytes', () => {
  // Every key hashes to one of two values that share their low bits (the slot) and differ above them.
  const same = (k: string) => (k.length % 2 === 0 ? 7 : 7 | (1 << 30));
  const keys = ['aa', 'b', 'cc', 'd', 'aa', 'dd', 'b', 'eee'];
  const { index, find } = textKeys(keys, same);
  expect(rowsUpTo(8).map((r) => index.firstOf(r))).toEqual([0, 1, 2, 3, 0, 5, 1, 7]);
  expect(rowsUpTo(8).map((r) => index.isRepeated(r))).toEqual([true, true, false, false, true, false, true, false]);
  expect(['aa', 'b', 'cc', 'd', 'dd', 'eee', 'ee', 'f'].map((k) => find(k))).toEqual([0, 1, 2, 3, 5, 7, -1, -1]);
  // A key looked up with another hash than it was added with is not found: the hash picks the slot and the tag.
  expect(find('aa', 7 | (1 << 30))).toBe(-1);
});

test('a text index of many keys finds each, with repeats flagged on every row of the key', () => {
  const keys = Array.from({ length: 5000 }, (_, i) => `user${i % 4000}@contoso.com`);
  const { index, find } = textKeys(keys);
  keys.forEach((_, i) => expect(index.firstOf(i)).toBe(i % 4000));
  expect(rowsUpTo(keys.length).filter((r) => index.isRepeated(r))).toHaveLength(2000);
  expect(find('user3999@contoso.com')).toBe(3999);
  expect(find('user4000@contoso.com')).toBe(-1);
});

test('a GUID index reads 16-byte keys at row * 16, or at the anchor attribute of a 32-byte on-prem row', () => {
  // Sequential GUIDs: keys that differ in one byte must still spread and be told apart.
  const guid = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? n & 0xff : i === 14 ? n >> 8 : 0));
  const rows = 3000;
  const ids = new Uint8Array(rows * 16);
  for (let r = 0; r < rows; r++) ids.set(guid(r % 2500), r * 16);
  const byId = new GuidIndex(rows, ids, null);
  for (let r = 0; r < rows; r++) if (r !== 7) byId.add(r);
  expect([byId.firstOf(7), byId.firstOf(2507), byId.firstOf(2600)]).toEqual([-1, 2507, 100]);
  expect([byId.isRepeated(100), byId.isRepeated(2600), byId.isRepeated(600), byId.isRepeated(2507)]).toEqual([true, true, false, false]);
  expect([byId.find(guid(100), 0), byId.find(guid(2499), 0), byId.find(guid(2500), 0)]).toEqual([100, 2499, -1]);

  // On-prem rows: objectGUID at row * 32, mS-DS-ConsistencyGuid at row * 32 + 16; the anchor says which is the key.
  const guids = new Uint8Array(3 * 32);
  guids.set(guid(1), 0);
  guids.set(guid(2), 16);
  guids.set(guid(2), 32);
  guids.set(guid(1), 48);
  guids.set(guid(3), 64);
  const anchor = Uint8Array.of(Anchor.ObjectGuid, Anchor.ConsistencyGuid, Anchor.None);
  const byAnchor = new GuidIndex(3, guids, anchor);
  byAnchor.add(0);
  byAnchor.add(1);
  expect(rowsUpTo(3).map((r) => byAnchor.firstOf(r))).toEqual([0, 0, -1]);
  expect([byAnchor.find(guid(1), 0), byAnchor.find(guid(2), 0), byAnchor.find(guid(3), 0)]).toEqual([0, -1, -1]);
});

test("findAll looks up another table's keys together and gives what find gives each, empty keys -1", () => {
  const collide = (k: string) => (k.length % 2 === 0 ? 7 : 7 | (1 << 30));
  for (const hash of [collide, (k: string, b: Uint8Array, at: number) => hashBytes(b, at, Buffer.byteLength(k))]) {
    const keys = ['aa', 'b', 'cc', 'd', 'aa', 'dd', 'b', 'eee', ...Array.from({ length: 300 }, (_, i) => `user${i}@contoso.com`)];
    const { index, find } = textKeys(keys, hash);
    // The other table: its keys in an arena of its own, starting a few rows in.
    const queries = ['zz', 'aa', '', 'eee', 'ee', 'dd', 'b', 'f', 'user7@contoso.com', 'user300@contoso.com', 'USER8@contoso.com'];
    const bytes = Buffer.from(queries.join(''));
    const at = new Int32Array(queries.length + 2);
    const len = new Int32Array(queries.length + 2);
    const hashes = new Int32Array(queries.length + 2);
    let pos = 0;
    queries.forEach((q, i) => {
      at[i + 2] = pos;
      len[i + 2] = Buffer.byteLength(q);
      hashes[i + 2] = hash(q, bytes, pos);
      pos += len[i + 2];
    });
    const out = new Int32Array(queries.length);
    index.findAll(bytes, at, len, hashes, 2, queries.length + 2, out);
    expect([...out]).toEqual(queries.map((q) => (q === '' ? -1 : find(q))));
    expect([...out].filter((r) => r >= 0)).toHaveLength(5);
  }
});

test('findAll compares the whole key, not only the ends it reads first', () => {
  const { index } = textKeys(['abc', 'axc'], () => 7);
  const queries = Buffer.from('aycaxcabc');
  const out = new Int32Array(3);
  index.findAll(queries, Int32Array.of(0, 3, 6), Int32Array.of(3, 3, 3), Int32Array.of(7, 7, 7), 0, 3, out);
  expect([...out]).toEqual([-1, 1, 0]);
});

test('addAll adds, in order, the rows that have a key: on-prem rows with an anchor, cloud rows whose ImmutableID is a GUID', () => {
  const guid = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? n & 0xff : i === 14 ? n >> 8 : 0));
  // 2,500 rows (several groups): keys repeat every 1,000 rows; every 7th row has none.
  const rows = 2500;
  const ids = new Uint8Array(rows * 16);
  const idKind = new Uint8Array(rows);
  const guids = new Uint8Array(rows * 32);
  const anchor = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    ids.set(guid(r % 1000), r * 16);
    idKind[r] = r % 7 === 0 ? IdKind.Other : IdKind.Guid;
    guids.set(guid(r % 1000), r * 32 + (r % 2) * 16);
    anchor[r] = r % 7 === 0 ? Anchor.None : r % 2 ? Anchor.ConsistencyGuid : Anchor.ObjectGuid;
  }
  for (const index of [new GuidIndex(rows, ids, null, idKind), new GuidIndex(rows, guids, anchor)]) {
    index.addAll();
    const firstWithKey = (r: number) => [r % 1000, (r % 1000) + 1000, (r % 1000) + 2000].find((x) => x % 7 !== 0)!;
    for (let r = 0; r < rows; r++) expect(index.firstOf(r)).toBe(r % 7 === 0 ? -1 : firstWithKey(r));
    expect(index.find(guid(7), 0)).toBe(1007);
    expect(index.find(guid(1000), 0)).toBe(-1);
  }
});
