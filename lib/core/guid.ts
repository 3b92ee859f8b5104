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


export type OktaIdKind = 'okta-appuser-id' | 'okta-user-id';

const OKTA_APPUSER_ID = /^0ua[0-9A-Za-z]{17}$/;
const OKTA_USER_ID = /^00u[0-9A-Za-z]{17}$/;

/** Okta stamps its own ids as ImmutableID for users with no AD source (domain.md section 3). */
export function oktaIdKind(value: string): OktaIdKind | undefined {
  if (OKTA_APPUSER_ID.test(value)) return 'okta-appuser-id';
  if (OKTA_USER_ID.test(value)) return 'okta-user-id';
  return undefined;
}

/*
 * The same conversions on bytes in place, for the reconcile engine's million-row tables: no
 * string, no Buffer per value. lib/core/records.ts and lib/reconcile/report.ts use them.
 */
const B64_ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/** Value of a Base64 alphabet byte, -1 for any other byte. */
const B64_VALUE = new Int8Array(256).fill(-1);
B64_ALPHABET.forEach((c, i) => (B64_VALUE[c] = i));

/** Value of a hex digit's byte (either case), -1 for any other byte. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;

/** Where display byte k's two hex digits start in `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
const DISPLAY_HEX_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
/** Where stored byte i's two hex digits start in the display form. */
const STORED_HEX_AT = Uint8Array.from({ length: 16 }, (_, i) => DISPLAY_HEX_AT[DISPLAY_ORDER[i]]);

/** As HEX_VALUE, A-F not taken. */
const LOWER_HEX_VALUE = HEX_VALUE.map((v, c) => (c >= 0x41 && c <= 0x46 ? -1 : v));

/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` at `from` to stored bytes at `at`; false if it is not one. */
export function readDisplayGuid(b: Uint8Array, from: number, out: Uint8Array, at: number): boolean {
  return readGuid(b, from, out, at, HEX_VALUE);
}

/** readDisplayGuid of a GUID with no A-F, which writeDisplayGuid gives back byte for byte. */
export function readLowerDisplayGuid(b: Uint8Array, from: number, out: Uint8Array, at: number): boolean {
  return readGuid(b, from, out, at, LOWER_HEX_VALUE);
}

function readGuid(b: Uint8Array, from: number, out: Uint8Array, at: number, hexValue: Int8Array): boolean {
  if (b[from + 8] !== 0x2d || b[from + 13] !== 0x2d || b[from + 18] !== 0x2d || b[from + 23] !== 0x2d) return false;
  for (let i = 0; i < 16; i++) {
    const p = from + STORED_HEX_AT[i];
    const hi = hexValue[b[p]];
    const lo = hexValue[b[p + 1]];
    if ((hi | lo) < 0) return false;
    out[at + i] = (hi << 4) | lo;
  }
  return true;
}

/**
 * Canonical Base64 of exactly 16 bytes at `from` (24 characters, `==`, no stray bits) to bytes
 * at `at`; false if it is not. The byte form of fromImmutableId(), with the same canonical rule.
 */
export function readImmutableId(b: Uint8Array, from: number, out: Uint8Array, at: number): boolean {
  if (b[from + 22] !== 0x3d || b[from + 23] !== 0x3d) return false;
  let o = at;
  for (let i = 0; i < 21; i += 4) {
    const v0 = B64_VALUE[b[from + i]];
    const v1 = B64_VALUE[b[from + i + 1]];
    if (v0 < 0 || v1 < 0) return false;
    out[o++] = (v0 << 2) | (v1 >> 4);
    if (i === 20) return (v1 & 0x0f) === 0;
    const v2 = B64_VALUE[b[from + i + 2]];
    const v3 = B64_VALUE[b[from + i + 3]];
    if (v2 < 0 || v3 < 0) return false;
    out[o++] = ((v1 & 0x0f) << 4) | (v2 >> 2);
    out[o++] = ((v2 & 0x03) << 6) | v3;
  }
  return false;
}

/** The first character of the ImmutableID of stored bytes whose first byte is `first`. */
export const immutableIdStart = (first: number): number => B64_ALPHABET[first >> 2];

/** Writes the ImmutableID of the stored bytes at `at` (24 ASCII bytes) to `out` at `o`. */
export function writeImmutableId(src: Uint8Array, at: number, out: Uint8Array, o: number): void {
  for (let i = 0; i < 15; i += 3) {
    const v = (src[at + i] << 16) | (src[at + i + 1] << 8) | src[at + i + 2];
    out[o] = B64_ALPHABET[v >> 18];
    out[o + 1] = B64_ALPHABET[(v >> 12) & 63];
    out[o + 2] = B64_ALPHABET[(v >> 6) & 63];
    out[o + 3] = B64_ALPHABET[v & 63];
    o += 4;
  }
  const last = src[at + 15];
  out[o] = B64_ALPHABET[last >> 2];
  out[o + 1] = B64_ALPHABET[(last & 3) << 4];
  out[o + 2] = 0x3d;
  out[o + 3] = 0x3d;
}

/** Stored byte `v` as two hex digits at `o`. */
function hex2(out: Uint8Array, o: number, v: number): void {
  out[o] = HEX_DIGITS[v >> 4];
  out[o + 1] = HEX_DIGITS[v & 15];
}

/** Writes the display form of the stored bytes at `at` (36 ASCII bytes) to `out` at `o`: DISPLAY_ORDER, written out. */
export function writeDisplayGuid(src: Uint8Array, at: number, out: Uint8Array, o: number): void {
  hex2(out, o, src[at + 3]);
  hex2(out, o + 2, src[at + 2]);
  hex2(out, o + 4, src[at + 1]);
  hex2(out, o + 6, src[at]);
  out[o + 8] = 0x2d;
  hex2(out, o + 9, src[at + 5]);
  hex2(out, o + 11, src[at + 4]);
  out[o + 13] = 0x2d;
  hex2(out, o + 14, src[at + 7]);
  hex2(out, o + 16, src[at + 6]);
  out[o + 18] = 0x2d;
  hex2(out, o + 19, src[at + 8]);
  hex2(out, o + 21, src[at + 9]);
  out[o + 23] = 0x2d;
  for (let i = 10; i < 16; i++) hex2(out, o + 2 * i + 4, src[at + i]);
}
