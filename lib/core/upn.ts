/**
 * How UPNs are compared: without regard to case, as Entra ID does. Entra accepts only A-Z, a-z,
 * 0-9 and ' . - _ ! # ^ ~ before the @ ("Username policies",
 * https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy), so for every
 * UPN Entra holds the match is the ASCII fold, A-Z as a-z. Other characters (in on-prem or Okta
 * names) are folded by their simple Unicode case mapping, one character to one, but never onto
 * an ASCII character: JavaScript's toLowerCase would turn the Kelvin sign K (U+212A) into k and
 * the dotted capital I (U+0130) into i + U+0307, joining accounts that look different (how Entra
 * would fold them is not documented; this is the conservative choice). docs/reconcile.md. Pure.
 */

const folded = new Map<string, string>();

/** One non-ASCII character's fold: its simple lower case of its simple upper case, unless that leaves one character or reaches ASCII. */
function foldChar(c: string): string {
  let f = folded.get(c);
  if (f !== undefined) return f;
  const single = (s: string, fallback: string) => ([...s].length === 1 && s.codePointAt(0)! >= 0x80 ? s : fallback);
  const upper = single(c.toUpperCase(), c);
  f = single(upper.toLowerCase(), upper);
  folded.set(c, f);
  return f;
}

/** The join key of a UPN: A-Z lower-cased, other letters folded one to one and never onto ASCII. */
export function foldUpn(upn: string): string {
  let ascii = true;
  for (let i = 0; i < upn.length && ascii; i++) ascii = upn.charCodeAt(i) < 0x80;
  if (ascii) return upn.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  let out = '';
  for (const c of upn) out += c.charCodeAt(0) < 0x80 ? c.toLowerCase() : foldChar(c);
  return out;
}

export const sameUpn = (a: string, b: string): boolean => foldUpn(a) === foldUpn(b);
