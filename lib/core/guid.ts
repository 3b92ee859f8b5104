/**
 * GUID source anchors. A GUID is held as its 16 bytes in AD's stored order, which is .NET
 * Guid.ToByteArray() order (Python's uuid.bytes_le): the first three groups of the display form
 * little-endian, the last two as written. The ImmutableID is Base64 of exactly those bytes.
 */

/** Byte positions of the stored order, read in display order. */
export const DISPLAY_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Swaps between stored and display byte order (the permutation is its own inverse). */
export function swapByteOrder(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = bytes[DISPLAY_ORDER[i]];
  return out;
}

function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

function bytesOfHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** `74aa7831-ac60-4c6c-bcf0-3c42b310baea` from stored bytes. */
export function toDisplay(raw: Uint8Array): string {
  const h = hexOf(swapByteOrder(raw));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Stored bytes from 32 hex digits written in display order. */
export function fromDisplayHex(hex32: string): Uint8Array {
  return swapByteOrder(bytesOfHex(hex32));
}

/** Stored bytes from 32 hex digits written in stored (raw) order. */
export function fromRawHex(hex32: string): Uint8Array {
  return bytesOfHex(hex32);
}

export function toImmutableId(raw: Uint8Array): string {
  return Buffer.from(raw).toString('base64');
}

/** The classic hand-conversion error: Base64 of the display-order bytes. */
export function toDisplayOrderBase64(raw: Uint8Array): string {
  return Buffer.from(swapByteOrder(raw)).toString('base64');
}

/** csvde spelling: X'<hex of stored bytes>'. */
export function toCsvde(raw: Uint8Array): string {
  return `X'${hexOf(raw)}'`;
}

/** LDAP filter escape of every stored byte. */
export function toLdapFilter(raw: Uint8Array): string {
  let s = '';
  for (let i = 0; i < raw.length; i++) s += `\\${HEX[raw[i]]}`;
  return s;
}

const CANONICAL_B64_16 = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/**
 * Stored bytes when the value is Base64 of exactly 16 bytes in canonical form, else undefined.
 * Canonical only: Entra compares ImmutableIDs as strings, so a value that decodes to the right
 * bytes with stray padding bits would still not match.
 */
export function fromImmutableId(value: string): Uint8Array | undefined {
  if (!CANONICAL_B64_16.test(value)) return undefined;
  return Uint8Array.from(Buffer.from(value, 'base64'));
}

export function isGuidImmutableId(value: string): boolean {
  return CANONICAL_B64_16.test(value);
}

export type OktaIdKind = 'okta-appuser-id' | 'okta-user-id';

const OKTA_APPUSER_ID = /^0ua[0-9A-Za-z]{17}$/;
const OKTA_USER_ID = /^00u[0-9A-Za-z]{17}$/;

/** Okta stamps its own ids as ImmutableID for users with no AD source (domain.md section 3). */
export function oktaIdKind(value: string): OktaIdKind | undefined {
  if (OKTA_APPUSER_ID.test(value)) return 'okta-appuser-id';
  if (OKTA_USER_ID.test(value)) return 'okta-user-id';
  return undefined;
}

const B64_ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/** Writes the ImmutableID of the stored bytes at `at` (24 ASCII bytes) to `out` at `o`. */
export function writeImmutableId(src: Uint8Array, at: number, out: Uint8Array, o: number): void {
  for (let i = 0; i < 15; i += 3) {
    const v = (src[at + i] << 16) | (src[at + i + 1] << 8) | src[at + i + 2];
    out[o++] = B64_ALPHABET[v >> 18];
    out[o++] = B64_ALPHABET[(v >> 12) & 63];
    out[o++] = B64_ALPHABET[(v >> 6) & 63];
    out[o++] = B64_ALPHABET[v & 63];
  }
  const last = src[at + 15];
  out[o++] = B64_ALPHABET[last >> 2];
  out[o++] = B64_ALPHABET[(last & 3) << 4];
  out[o++] = 0x3d;
  out[o] = 0x3d;
}

/** Writes the display form of the stored bytes at `at` (36 ASCII bytes) to `out` at `o`. */
export function writeDisplayGuid(src: Uint8Array, at: number, out: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out[o++] = 0x2d;
    const v = src[at + DISPLAY_ORDER[i]];
    out[o++] = HEX_DIGITS[v >> 4];
    out[o++] = HEX_DIGITS[v & 15];
  }
}
