/**
 * A directory entry as an LDAP search or an LDIF file gives it; lib/formats/onprem-users.ts
 * makes the on-prem CSV row of it.
 */

export type AttributeValue = Uint8Array | string;

/** A directory entry: its DN and the values of each attribute, looked up without case. */
export interface DirectoryEntry {
  dn: string;
  values(attribute: string): readonly AttributeValue[];
}
