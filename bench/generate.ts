/**
 * Seeded synthetic exports of N users for benchmarks: a Windows PowerShell 5.1 style on-prem file
 * (#TYPE line, every field quoted, DNs with escaped commas, CRLF) and a Graph-style cloud file in
 * shuffled order, with every status present in roughly the proportions of a real migration.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { toDisplay, toDisplayOrderBase64, toImmutableId } from '../lib/core/guid';
import { mulberry32 } from '../lib/core/prng';

function randomGuid(rand: () => number): Uint8Array {
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i += 4) {
    const v = Math.floor(rand() * 0x100000000);
    b[i] = v & 0xff;
    b[i + 1] = (v >>> 8) & 0xff;
    b[i + 2] = (v >>> 16) & 0xff;
    b[i + 3] = v >>> 24;
  }
  return b;
}

class Out {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly stream: WriteStream) {}
  async line(s: string): Promise<void> {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.stream.write(this.buf.join(''))) await once(this.stream, 'drain');
    this.buf = [];
    this.size = 0;
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/**
 * Bumped whenever the generator's output changes, so cached files from an older generator are not
 * reused (version 1 made most rows byte-order mismatches instead of matches).
 */
export const GENERATOR_VERSION = 2;

/** One CSV field the way Export-Csv writes it: always quoted, quotes doubled. */
const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A DN's RDN value: `,` `"` `\` and friends escaped with a backslash. */
const rdn = (s: string): string => s.replace(/[,"\\+<>;=]/g, (c) => `\\${c}`);

/**
 * Writes both files. One draw r per user picks its case: 85% match; missing 3%; mismatch 3.5%
 * (byte-order 2%, unknown-object 1%, not-guid 0.5%); okta-anchored 1% (0ua and 00u ids);
 * onprem-only 2%; a UPN repeated on-prem 0.5%; System.Byte[] anchor (invalid) 0.5%; the last 4.5%
 * match too, and 3% of users also have an unrelated cloud-only account (orphaned or unanchored).
 * 10% of cloud UPNs are upper-cased and 2% of on-prem UPNs capitalised; every 1000th user has a
 * quote in the given name and a comma in the surname. Deterministic for a given n and seed.
 */
export async function generate(n: number, seed: number, onpremPath: string, cloudPath: string): Promise<void> {
  const rand = mulberry32(seed);
  const onprem = new Out(createWriteStream(onpremPath));
  const cloudRows: string[] = [];
  await onprem.line('#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser\r\n');
  await onprem.line('"DistinguishedName","Enabled","GivenName","ObjectGUID","SamAccountName","Surname","UserPrincipalName","mS-DS-ConsistencyGuid"\r\n');
  for (let i = 0; i < n; i++) {
    const upn = `user${i}@contoso.com`;
    const og = randomGuid(rand);
    const r = rand();
    const consistency = r < 0.005 ? randomGuid(rand) : undefined;
    const anchor = consistency ?? og;
    const cloudUpn = rand() < 0.1 ? upn.toUpperCase() : upn;
    const objectId = toDisplay(randomGuid(rand));
    let cloudId: string | undefined = toImmutableId(anchor);
    let onpremUpn = i % 50 === 3 ? `User${i}@Contoso.com` : upn;
    let consistencyCell = consistency ? toDisplay(consistency) : '';
    if (r < 0.85) {
      // match: cloudId is already the expected ImmutableID
    } else if (r < 0.88) cloudId = ''; // missing
    else if (r < 0.9) cloudId = toDisplayOrderBase64(anchor); // mismatch: byte-order
    else if (r < 0.91) cloudId = toImmutableId(randomGuid(rand)); // mismatch: unknown-object
    else if (r < 0.915) cloudId = `E${i}`; // mismatch: not-guid
    else if (r < 0.925) cloudId = `${i % 2 ? '0ua' : '00u'}${i.toString(36).padStart(17, '0')}`; // okta-anchored
    else if (r < 0.945) cloudId = undefined; // onprem-only
    else if (r < 0.95) onpremUpn = `user${i - 1}@contoso.com`; // duplicate UPN on-prem (this user's cloud row is then cloud-only)
    else if (r < 0.955) consistencyCell = 'System.Byte[]'; // invalid: binary-export
    if (cloudId !== undefined) cloudRows.push(`${objectId},${cloudUpn},${cloudId},,${cloudUpn}\n`);
    if (r >= 0.955 && r < 0.985) {
      // cloud-only: unanchored and orphaned accounts
      const orphan = r < 0.965 ? toImmutableId(randomGuid(rand)) : '';
      cloudRows.push(`${toDisplay(randomGuid(rand))},cloud${i}@contoso.com,${orphan},,\n`);
    }
    const given = i % 1000 === 7 ? `Given${i} "G"` : `Given${i}`;
    const surname = i % 1000 === 7 ? `Surname${i}, Jr.` : `Surname${i}`;
    const dn = `CN=${rdn(`${surname}, ${given}`)},OU=Users,DC=contoso,DC=com`;
    await onprem.line(`${q(dn)},"True",${q(given)},"${toDisplay(og)}","u${i}",${q(surname)},"${onpremUpn}","${consistencyCell}"\r\n`);
  }
  await onprem.close();
  for (let i = cloudRows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [cloudRows[i], cloudRows[j]] = [cloudRows[j], cloudRows[i]];
  }
  const cloud = new Out(createWriteStream(cloudPath));
  await cloud.line('id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled,mail\n');
  for (const row of cloudRows) await cloud.line(row);
  await cloud.close();
}
