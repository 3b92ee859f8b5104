/** The domains file reads back to its domains, and to what a plan needs of them. */
import { join } from 'node:path';
import { type Domain, domainFields, domainsWriter, readDomainList, readDomains } from '../../lib/formats/domains';
import { tempDir } from '../helpers';

const DOMAINS: Domain[] = [
  { id: 'contoso.com', authenticationType: 'Federated', isInitial: false, isVerified: true },
  { id: 'contoso.onmicrosoft.com', authenticationType: 'Managed', isInitial: true, isVerified: true },
  { id: 'new.contoso.com', authenticationType: 'Managed', isInitial: false, isVerified: false },
];

test('domains round-trip through the file', async () => {
  const file = join(tempDir(), 'domains.csv');
  const out = domainsWriter(file);
  for (const d of DOMAINS) await out.row(domainFields(d));
  await out.commit();
  expect(await readDomainList(file)).toEqual(DOMAINS);
  expect(await readDomains(file)).toEqual({ federated: new Set(['contoso.com']), initial: 'contoso.onmicrosoft.com' });
});
