/**
 * The tenant settings file: the answer of GET /directory/onPremisesSynchronization as
 * `export cloud --settings-out` saves it (or Get-MgDirectoryOnPremiseSynchronization |
 * ConvertTo-Json), which `reconcile --tenant-settings` reads for the switches Entra Connect's
 * matching depends on (lib/reconcile/tenant-settings.ts). docs/entra-connect.md.
 */
import { readFile } from 'node:fs/promises';
import { IdreconError } from '../errors';
import { AtomicFile, writeWhole } from '../io/csv-writer';

/** The switches reconcile models, by the Graph feature that holds each. */
export const FEATURES = {
  blockSoftMatch: 'blockSoftMatchEnabled',
  blockHardMatchTakeover: 'blockCloudObjectTakeoverThroughHardMatchEnabled',
  upnSoftMatch: 'softMatchOnUpnEnabled',
} as const;

export type TenantSwitch = keyof typeof FEATURES;

/** The `features` object, wherever the JSON keeps it: Graph's `value` array, a bare object, or PowerShell's PascalCase. */
function featuresOf(json: unknown): Record<string, unknown> | undefined {
  const lower = (o: unknown): Record<string, unknown> | undefined =>
    typeof o === 'object' && o !== null && !Array.isArray(o) ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v])) : undefined;
  const first = Array.isArray(json) ? json[0] : (lower(json)?.value as unknown[] | undefined)?.[0] ?? json;
  const obj = lower(first);
  const features = lower(obj?.features);
  return features && { ...features, ...lower(features.additionalproperties) };
}

/** Reads a settings file into the switches it sets; a feature the file does not name keeps its default. */
export async function readTenantSettings(file: string): Promise<Partial<Record<TenantSwitch, boolean>>> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new IdreconError('INPUT_NOT_FOUND', `cannot read the tenant settings (${err.code ?? err.message})`, { file });
  });
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (err) {
    throw new IdreconError('INPUT_VALUE', `the tenant settings are not JSON (${(err as Error).message}); expected the answer of GET /directory/onPremisesSynchronization`, { file });
  }
  const features = featuresOf(json);
  if (!features) {
    throw new IdreconError(
      'INPUT_VALUE',
      "no 'features' in the tenant settings; expected the answer of GET /directory/onPremisesSynchronization or Get-MgDirectoryOnPremiseSynchronization | ConvertTo-Json -Depth 5",
      { file },
    );
  }
  const out: Partial<Record<TenantSwitch, boolean>> = {};
  for (const key of Object.keys(FEATURES) as TenantSwitch[]) {
    const v = features[FEATURES[key].toLowerCase()];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') throw new IdreconError('INPUT_VALUE', `${FEATURES[key]} is ${JSON.stringify(v)}; expected true or false`, { file });
    out[key] = v;
  }
  return out;
}

/** Saves what Graph answered, as Graph's collection (`value`), which readTenantSettings reads back. */
export async function writeTenantSettings(file: string, found: readonly unknown[]): Promise<void> {
  const out = new AtomicFile(file);
  await writeWhole(out, () => out.write(`${JSON.stringify({ value: found }, null, 2)}\n`));
}
