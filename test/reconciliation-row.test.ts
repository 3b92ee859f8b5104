/**
 * writeReconciliationRow, the byte writer of reconciliation.csv, writes every field by the one rule
 * of idrecon's CSV (quoted when it holds a comma, a double quote, CR or LF; ="..." when it starts a
 * formula) whatever table and column the value comes from: its bytes are CsvWriter's text of the
 * same values (csvRecords of guarded cells), the GUIDs and ImmutableIDs spelt by the string
 * conversions of lib/core/guid.ts.
 */
import { guardCell } from '../lib/core/cell-guard';
import type { ReconRow } from '../lib/core/classify';
import { fromImmutableId, toDisplay, toImmutableId } from '../lib/core/guid';
import { ANCHOR_ATTRIBUTES, Anchor, CloudTable, GuidKind, IdKind, ObjectId, OnpremTable } from '../lib/core/tables';
import { RECONCILIATION_COLUMNS, writeReconciliationRow } from '../lib/formats/reconciliation';
import { CsvBytes, csvRecords } from '../lib/io/csv-writer';

/**
 * Plain, quoted and guarded text, in every column that holds text: what needs quotes at the start,
 * in the middle and at the end, and bytes that sort below the comma but need none.
 */
const TEXTS = ['jo@contoso.com', 'a,b@contoso.com', 'say "hi"@contoso.com', 'two\r\nlines', 'lone\nlf', '=1+1', '+"x",y', '-2', '@SUM(A1)', '\tcmd', 'Ünal@contoso.com', '"', 'x+y z!#@contoso.com', 'abcdefgh,', 'ab"c@contoso.com', 'abc,defgh@contoso.com', ',abcd@contoso.com'];
/** Base64 of the first starts with +, so it is guarded; the second is not. */
const GUIDS = [fromImmutableId('+9kaGpXmXFWlO8l/IOLgyw==')!, fromImmutableId('fO/hmYorw3LAMjvarbBzqw==')!];
const LINES = [2, 9, 10, 99, 100, 1234, 65536, 2147483647];
const SYNC = ['', 'true', 'false'];
const PRIVILEGED = ['', 'True', 'False'];

const put = (t: OnpremTable | CloudTable, text: string): [number, number] => {
  const { at, len } = t.arena.put(text);
  return [at, len];
};

interface Tables {
  on: OnpremTable;
  cl: CloudTable;
  /** Each row's fields as text, to check the bytes against. */
  onText: (o: number) => { upn: string; expectedId: string; anchor: string; objectGuid: string; consistencyGuid: string; line: string };
  clText: (c: number) => { upn: string; id: string; objectId: string; sync: string; roles: string; privileged: string; line: string };
}

function tables(roles: boolean): Tables {
  const on = new OnpremTable();
  const cl = new CloudTable();
  if (roles) cl.useRoles();
  for (let i = 0; i < 2 * TEXTS.length; i++) {
    const o = on.add(LINES[i % LINES.length]);
    [on.upnAt[o], on.upnLen[o]] = put(on, TEXTS[i % TEXTS.length]);
    on.guids.set(GUIDS[i % 2], o * 32);
    on.objectGuidKind[o] = GuidKind.Guid;
    if (i % 3 !== 0) {
      on.guids.set(GUIDS[(i + 1) % 2], o * 32 + 16);
      on.consistencyGuidKind[o] = GuidKind.Guid;
    }
    on.anchor[o] = i % 5 === 4 ? Anchor.None : on.consistencyGuidKind[o] === GuidKind.Guid ? Anchor.ConsistencyGuid : Anchor.ObjectGuid;

    const c = cl.add(LINES[(i + 3) % LINES.length]);
    [cl.upnAt[c], cl.upnLen[c]] = put(cl, TEXTS[(i + 1) % TEXTS.length]);
    // Every third object id is a GUID kept as its bytes, as CloudRows keeps a lower-case one.
    if (i % 3 === 1) {
      cl.objectIds.set(GUIDS[(i >> 1) % 2], c * 16);
      cl.objectIdKind[c] = ObjectId.Bytes;
    } else {
      cl.setObjectIdText(c, ...put(cl, TEXTS[(i + 2) % TEXTS.length]));
    }
    cl.idKind[c] = [IdKind.Guid, IdKind.Guid, IdKind.Other, IdKind.Empty][i % 4];
    if (cl.idKind[c] === IdKind.Other) cl.setOtherId(c, ...put(cl, TEXTS[(i + 5) % TEXTS.length]));
    else cl.ids.set(GUIDS[(i >> 1) % 2], c * 16);
    cl.sync[c] = i % 3;
    if (roles) {
      [cl.rolesAt[c], cl.rolesLen[c]] = put(cl, i % 2 ? 'Global Administrator;User Administrator (eligible)' : TEXTS[(i + 7) % TEXTS.length]);
      cl.privileged[c] = (i + 1) % 3;
    }
  }
  const text = (t: OnpremTable | CloudTable, at: Int32Array, len: Int32Array, i: number) => t.arena.text(at[i], len[i]);
  return {
    on,
    cl,
    onText: (o) => {
      const anchorAt = on.anchorAt(o);
      return {
        upn: on.upn(o),
        expectedId: anchorAt < 0 ? '' : toImmutableId(on.guids.slice(anchorAt, anchorAt + 16)),
        anchor: ANCHOR_ATTRIBUTES[on.anchor[o]] ?? '',
        objectGuid: on.objectGuidKind[o] ? toDisplay(on.guids.slice(o * 32, o * 32 + 16)) : '',
        consistencyGuid: on.consistencyGuidKind[o] ? toDisplay(on.guids.slice(o * 32 + 16, o * 32 + 32)) : '',
        line: String(on.line[o]),
      };
    },
    clText: (c) => ({
      upn: cl.upn(c),
      id: [() => '', () => toImmutableId(cl.ids.slice(c * 16, c * 16 + 16)), () => cl.arena.text(cl.otherIdAt(c), cl.otherIdLen(c))][cl.idKind[c]](),
      objectId: cl.objectIdKind[c] === ObjectId.Bytes ? toDisplay(cl.objectIds.slice(c * 16, c * 16 + 16)) : cl.arena.text(cl.objectIdTextAt(c), cl.objectIdTextLen(c)),
      sync: SYNC[cl.sync[c]],
      roles: roles ? text(cl, cl.rolesAt, cl.rolesLen, c) : '',
      privileged: roles ? PRIVILEGED[cl.privileged[c]] : '',
      line: String(cl.line[c]),
    }),
  };
}

/** Rows of every shape: both sides, one side, with a match, with a related user on either side. */
function rows(n: number): ReconRow[] {
  const out: ReconRow[] = [];
  const row = (onprem: number, cloud: number, extra: Partial<ReconRow> = {}): ReconRow => ({
    status: 'mismatch',
    reason: 'byte-order',
    entraConnect: 'hard-match',
    entraConnectReason: 'anchor-differs',
    onprem,
    cloud,
    relatedOnprem: -1,
    relatedCloud: -1,
    match: -1,
    ...extra,
  });
  for (let i = 0; i < n; i++) {
    out.push(row(i, (i * 7) % n));
    out.push(row(i, -1, { status: 'onprem-only', reason: '', match: (i + 3) % n }));
    out.push(row(-1, i, { status: 'cloud-only', entraConnect: 'unknown', relatedOnprem: (i + 1) % n }));
    out.push(row(i, i, { relatedCloud: (i + 2) % n }));
  }
  return out;
}

function expected(t: Tables, r: ReconRow): string {
  const o = r.onprem >= 0 ? t.onText(r.onprem) : undefined;
  const c = r.cloud >= 0 ? t.clText(r.cloud) : undefined;
  const related = r.relatedOnprem >= 0 ? t.on.upn(r.relatedOnprem) : r.relatedCloud >= 0 ? t.cl.upn(r.relatedCloud) : '';
  const fields = [
    o?.upn ?? c!.upn,
    r.status,
    r.reason,
    r.entraConnect,
    r.entraConnectReason,
    r.match >= 0 ? t.cl.upn(r.match) : '',
    o?.expectedId ?? '',
    c?.id ?? '',
    o?.anchor ?? '',
    o?.objectGuid ?? '',
    o?.consistencyGuid ?? '',
    c?.upn ?? '',
    c?.objectId ?? '',
    c?.sync ?? '',
    c?.roles ?? '',
    c?.privileged ?? '',
    related,
    o?.line ?? '',
    c?.line ?? '',
  ];
  expect(fields).toHaveLength(RECONCILIATION_COLUMNS.length);
  return csvRecords([fields.map(guardCell)]);
}

test.each([
  ['with roles, in a large buffer', true, 1 << 20],
  ['without roles, in a buffer smaller than a row (flushed and grown as it goes)', false, 64],
])('every field of every row shape is written as CsvWriter writes its text: %s', (_, roles, size) => {
  const t = tables(roles);
  const chunks: Buffer[] = [];
  const w = new CsvBytes((chunk) => chunks.push(Buffer.from(chunk)), size);
  const all = rows(t.on.count);
  const want = all.map((r) => expected(t, r));
  // Each row: what was spilled while it was written, and the rest, flushed.
  const written = all.map((r) => {
    writeReconciliationRow(w, r, t.on, t.cl);
    w.endRow();
    w.flush();
    return Buffer.concat(chunks.splice(0)).toString('utf8');
  });
  written.forEach((got, i) => expect(got).toBe(want[i]));
  // Both guard forms of the ImmutableID, and quoted and guarded text, are among the rows written.
  expect(want.join('')).toMatch(/,"=""\+9kaGpXmXFWlO8l\/IOLgyw==""",/);
  expect(want.join('')).toMatch(/,fO\/hmYorw3LAMjvarbBzqw==,/);
  expect(want.join('')).toMatch(/^"a,b@contoso.com",/m);
  expect(want.join('')).toMatch(/^"=""=1\+1""",/m);
});
