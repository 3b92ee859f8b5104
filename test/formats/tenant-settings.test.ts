/** The tenant settings file export cloud saves reads back to the switches reconcile models. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTenantSettings, writeTenantSettings } from '../../lib/formats/tenant-settings';
import { tempDir } from '../helpers';

test('tenant settings round-trip through the file', async () => {
  const file = join(tempDir(), 'tenant-settings.json');
  const answer = {
    id: '55555555-5555-5555-5555-555555555555',
    configuration: { accidentalDeletionPrevention: { synchronizationPreventionType: 'enabledForCount', alertThreshold: 500 } },
    features: { blockSoftMatchEnabled: true, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true, passwordSyncEnabled: true },
  };
  await writeTenantSettings(file, [answer]);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ value: [answer] });
  expect(await readTenantSettings(file)).toEqual({ blockSoftMatch: true, blockHardMatchTakeover: false, upnSoftMatch: true });
});

test('a feature the tenant does not report keeps its default on the way back', async () => {
  const file = join(tempDir(), 'tenant-settings.json');
  await writeTenantSettings(file, [{ id: 'x', features: { softMatchOnUpnEnabled: false } }]);
  expect(await readTenantSettings(file)).toEqual({ upnSoftMatch: false });
});
