/**
 * How UPNs are compared: as Entra ID does, without regard to case, where case means the ASCII
 * letters A-Z only. Entra accepts only A-Z, a-z, 0-9 and ' . - _ ! # ^ ~ in a UPN ("Username
 * policies", https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy), so
 * an Entra UPN is ASCII and its case-insensitive match is the ASCII fold. Unicode case mapping
 * (JavaScript's toLowerCase) would go further: the Kelvin sign K (U+212A) would become k, and
 * dotted capital I (U+0130) i + U+0307, joining accounts that Entra tells apart. Non-ASCII
 * letters are therefore kept as they are. docs/reconcile.md explains the rule. Pure.
 */

/** The join key of a UPN: A-Z lower-cased, every other character kept. */
export function foldUpn(upn: string): string {
  return upn.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export const sameUpn = (a: string, b: string): boolean => a.length === b.length && foldUpn(a) === foldUpn(b);
