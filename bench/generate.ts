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

/** Writes both files; returns nothing the benchmark relies on but the files themselves. */
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
    let cloudId: string | undefined = toImmutableId(anchor); // match
    let onpremUpn = upn;
    let consistencyCell = consistency ? toDisplay(consistency) : '';
    if (r >= 0.85 && r < 0.88) cloudId = ''; // missing
    else if (r < 0.9) cloudId = toDisplayOrderBase64(anchor); // byte-order
    else if (r < 0.91) cloudId = toImmutableId(randomGuid(rand)); // unknown-object
    else if (r < 0.915) cloudId = `E${i}`; // not-guid
    else if (r < 0.925) cloudId = `0ua${i.toString(36).padStart(17, '0')}`; // okta-anchored
    else if (r < 0.945) cloudId = undefined; // onprem-only
    else if (r < 0.95) onpremUpn = `user${i - 1}@contoso.com`; // duplicate UPN on-prem
    else if (r < 0.955) consistencyCell = 'System.Byte[]'; // invalid
    if (cloudId !== undefined) cloudRows.push(`${objectId},${cloudUpn},${cloudId},,${cloudUpn}\n`);
    if (r >= 0.955 && r < 0.985) {
      // cloud-only: unanchored and orphaned accounts
      const orphan = r < 0.965 ? toImmutableId(randomGuid(rand)) : '';
      cloudRows.push(`${toDisplay(randomGuid(rand))},cloud${i}@contoso.com,${orphan},,\n`);
    }
    await onprem.line(
      `"CN=Surname${i}\\, Given${i},OU=Users,DC=contoso,DC=com","True","Given${i}","${toDisplay(og)}","u${i}","Surname${i}","${onpremUpn}","${consistencyCell}"\r\n`,
    );
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
