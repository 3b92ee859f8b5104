/**
 * A throwaway certificate authority and a certificate for 127.0.0.1, made with openssl for one
 * test run: Microsoft's libraries sign in over https only, so the local tenant serves https with
 * this certificate, and the child process that runs them trusts the CA through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness';

export interface TestTls {
  key: Buffer;
  cert: Buffer;
  /** File holding the CA certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
}

export function makeTls(): TestTls {
  const dir = tempDir();
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=idrecon test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '1', '-extfile', f('san.ext'));
  return { key: readFileSync(f('server.key')), cert: readFileSync(f('server.crt')), caFile: f('ca.crt') };
}
