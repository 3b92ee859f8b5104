/**
 * The line export onprem prints for a DC certificate nobody trusts is the same on every Node.js
 * line idrecon supports: Node.js 24 and later end the TLS error with their own advice ("try running
 * Node.js with --use-system-ca"), which is left out; OpenSSL's reason is kept.
 */
import { describe as describeFailure } from '../../lib/ldap/connect';

const options = { url: 'ldaps://dc1.corp.example', bindDn: 'CN=svc-idrecon,OU=Service,DC=corp,DC=example', caFile: '/etc/idrecon/corp-ca.pem' };
const LINE =
  "ldaps://dc1.corp.example: the DC's certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate): the CA in /etc/idrecon/corp-ca.pem did not issue it; give the CA that issued it with --ca-file";

test('the untrusted-certificate line leaves out the advice Node.js 24 and later add to the error', () => {
  const node24 = Object.assign(new Error('unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca'), {
    code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  });
  expect(describeFailure(node24, options)).toBe(LINE);
});

test('the same line from the error as Node.js 22 words it', () => {
  const node22 = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  expect(describeFailure(node22, options)).toBe(LINE);
});
