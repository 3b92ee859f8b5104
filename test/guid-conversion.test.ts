/** Every spelling of domain.md section 2 against vectors computed by Python's uuid (test/vectors). */
import vectors from './vectors/guids.json';
import { parseAnchor } from '../lib/core/anchor';
import { fromImmutableId, toCsvde, toDisplay, toDisplayOrderBase64, toImmutableId, toLdapFilter } from '../lib/core/guid';

const immutableIdOf = (value: string, hexOrder?: 'display' | 'raw') => {
  const parsed = parseAnchor(value, hexOrder);
  return parsed.kind === 'guid' ? toImmutableId(parsed.raw) : parsed.kind;
};

describe.each(vectors)('GUID $guid', (v) => {
  test('every spelling reads to the same ImmutableID', () => {
    expect(immutableIdOf(v.guid)).toBe(v.immutable_id);
    expect(immutableIdOf(v.guid.toUpperCase())).toBe(v.immutable_id);
    expect(immutableIdOf(`{${v.guid}}`)).toBe(v.immutable_id);
    expect(immutableIdOf(v.csvde)).toBe(v.immutable_id);
    expect(immutableIdOf(v.ldif)).toBe(v.immutable_id);
    expect(immutableIdOf(v.ldap_filter)).toBe(v.immutable_id);
    expect(immutableIdOf(v.immutable_id)).toBe(v.immutable_id);
    expect(immutableIdOf(v.hex_display, 'display')).toBe(v.immutable_id);
    expect(immutableIdOf(v.hex_raw, 'raw')).toBe(v.immutable_id);
  });

  test('stored bytes write back to every spelling', () => {
    const raw = fromImmutableId(v.immutable_id)!;
    expect(toDisplay(raw)).toBe(v.guid);
    expect(toCsvde(raw)).toBe(v.csvde);
    expect(toLdapFilter(raw)).toBe(v.ldap_filter);
    expect(toDisplayOrderBase64(raw)).toBe(v.display_order_base64);
  });

  test('32 bare hex digits are ambiguous without a byte order', () => {
    expect(parseAnchor(v.hex_display).kind).toBe('ambiguous-hex');
  });
});

describe('values that are not GUIDs', () => {
  test.each([
    ['System.Byte[]', 'binary-export'],
    ['Microsoft.ActiveDirectory.Management.ADPropertyValueCollection', 'binary-export'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['74aa7831-ac60-4c6c-bcf0', 'unrecognised'],
    ['MXiqdGCsbEy88DxCsxC66h==', 'unrecognised'], // stray padding bits: Entra compares strings
    ['MXiqdGCsbEy88DxCsxC66g', 'unrecognised'],
    ['\\31\\78\\aa', 'unrecognised'],
    ['0ua1x2y3z4a5b6c7d8e9', 'unrecognised'],
  ])('%j is %s', (value, kind) => {
    expect(parseAnchor(value).kind).toBe(kind);
  });
});
