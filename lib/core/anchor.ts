/**
 * Reads a GUID anchor written in any of the spellings export tools produce (domain.md section 2)
 * into its stored bytes. Pure: no I/O, no exceptions for bad input, a tagged result instead.
 */
import { fromDisplayHex, fromImmutableId, fromRawHex } from './guid';

export type HexOrder = 'display' | 'raw';

export type GuidSpelling = 'guid' | 'csvde' | 'base64' | 'ldif' | 'ldap-filter' | 'hex-display' | 'hex-raw';

export type AnchorCell =
  | { kind: 'empty' }
  | { kind: 'guid'; raw: Uint8Array; spelling: GuidSpelling }
  /** A naive Export-Csv of a binary or multi-valued attribute: the data is not in the file. */
  | { kind: 'binary-export'; text: string }
  /** 32 hex digits with no dashes: display or stored order cannot be told apart. */
  | { kind: 'ambiguous-hex' }
  /** csvde's X'hex' of a value that is not 16 bytes long: not a GUID. */
  | { kind: 'not-16-bytes'; bytes: number }
  | { kind: 'unrecognised' };

const DISPLAY_GUID = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;
const CSVDE = /^X'([0-9a-f]{32})'$/i;
const CSVDE_ANY = /^X'((?:[0-9a-f]{2})*)'$/i;
const BARE_HEX = /^\{?([0-9a-f]{32})\}?$/i;
const LDIF = /^[A-Za-z][\w-]*::\s*(\S+)$/;
/** Samba's ldbsearch prints objectGUID as text: `objectGUID: 74aa7831-...`. */
const LDIF_TEXT = /^[A-Za-z][\w-]*:\s*(\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?)$/i;
const LDAP_FILTER = /^(?:\\[0-9a-f]{2}|[^\\])+$/i;

export const BINARY_EXPORT_MARKERS = ['System.Byte[]', 'Microsoft.ActiveDirectory.Management.ADPropertyValueCollection'];

export function parseAnchor(value: string, hexOrder?: HexOrder): AnchorCell {
  const v = value.trim();
  if (v === '') return { kind: 'empty' };
  if (BINARY_EXPORT_MARKERS.includes(v)) return { kind: 'binary-export', text: v };

  const display = DISPLAY_GUID.exec(v);
  if (display) return { kind: 'guid', raw: fromDisplayHex(display.slice(1).join('')), spelling: 'guid' };

  const csvde = CSVDE.exec(v);
  if (csvde) return { kind: 'guid', raw: fromRawHex(csvde[1]), spelling: 'csvde' };
  const other = CSVDE_ANY.exec(v);
  if (other) return { kind: 'not-16-bytes', bytes: other[1].length / 2 };

  const bare = BARE_HEX.exec(v);
  if (bare) {
    if (hexOrder === 'display') return { kind: 'guid', raw: fromDisplayHex(bare[1]), spelling: 'hex-display' };
    if (hexOrder === 'raw') return { kind: 'guid', raw: fromRawHex(bare[1]), spelling: 'hex-raw' };
    return { kind: 'ambiguous-hex' };
  }

  const b64 = fromImmutableId(v);
  if (b64) return { kind: 'guid', raw: b64, spelling: 'base64' };

  const ldif = LDIF.exec(v);
  if (ldif) {
    const raw = fromImmutableId(ldif[1]);
    return raw ? { kind: 'guid', raw, spelling: 'ldif' } : { kind: 'unrecognised' };
  }
  const ldifText = LDIF_TEXT.exec(v);
  if (ldifText) return { kind: 'guid', raw: fromDisplayHex(ldifText[1].replace(/[{}-]/g, '')), spelling: 'ldif' };

  if (v.startsWith('\\') && LDAP_FILTER.test(v)) {
    const raw = ldapFilterBytes(v);
    if (raw) return { kind: 'guid', raw, spelling: 'ldap-filter' };
  }
  return { kind: 'unrecognised' };
}

/** `\31\78...`; characters that need no escaping may appear literally. */
function ldapFilterBytes(v: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < v.length; ) {
    if (v[i] === '\\') {
      bytes.push(parseInt(v.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const code = v.charCodeAt(i);
      if (code > 0x7e || code < 0x20) return undefined;
      bytes.push(code);
      i += 1;
    }
  }
  return bytes.length === 16 ? Uint8Array.from(bytes) : undefined;
}
