/**
 * The tenant switches Entra Connect's matching depends on: from a saved
 * GET /directory/onPremisesSynchronization (or Get-MgDirectoryOnPremiseSynchronization |
 * ConvertTo-Json), overridden by flags, else Microsoft's defaults. Each setting remembers where
 * it came from, for the summary and the terminal.
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_TENANT, type ClassifyOptions } from '../core/classify';
import { IdreconError } from '../errors';

export type SettingSource = 'default' | 'file' | 'flag';

export interface TenantSetting {
  value: boolean;
  source: SettingSource;
  /** The Graph feature it models. */
  feature: string;
}

export interface TenantSettings {
  blockSoftMatch: TenantSetting;
  blockHardMatchTakeover: TenantSetting;
  upnSoftMatch: TenantSetting;
  /** The settings file, when one was given. */
  file?: string;
}

const FEATURES = {
  blockSoftMatch: 'blockSoftMatchEnabled',
  blockHardMatchTakeover: 'blockCloudObjectTakeoverThroughHardMatchEnabled',
  upnSoftMatch: 'softMatchOnUpnEnabled',
} as const;

type Key = keyof typeof FEATURES;

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
export async function readTenantSettings(file: string): Promise<Partial<Record<Key, boolean>>> {
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
  const out: Partial<Record<Key, boolean>> = {};
  for (const key of Object.keys(FEATURES) as Key[]) {
    const v = features[FEATURES[key].toLowerCase()];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') throw new IdreconError('INPUT_VALUE', `${FEATURES[key]} is ${JSON.stringify(v)}; expected true or false`, { file });
    out[key] = v;
  }
  return out;
}

/** Flags win over the file, the file over the defaults. */
export function resolveTenantSettings(fromFile: Partial<Record<Key, boolean>>, flags: Partial<Record<Key, boolean>>, file?: string): TenantSettings {
  const one = (key: Key): TenantSetting => {
    if (flags[key] !== undefined) return { value: flags[key]!, source: 'flag', feature: FEATURES[key] };
    if (fromFile[key] !== undefined) return { value: fromFile[key]!, source: 'file', feature: FEATURES[key] };
    return { value: DEFAULT_TENANT[key], source: 'default', feature: FEATURES[key] };
  };
  return { blockSoftMatch: one('blockSoftMatch'), blockHardMatchTakeover: one('blockHardMatchTakeover'), upnSoftMatch: one('upnSoftMatch'), ...(file ? { file } : {}) };
}

export function classifyOptions(s: TenantSettings, initialDomain: string | undefined): ClassifyOptions {
  return { blockSoftMatch: s.blockSoftMatch.value, blockHardMatchTakeover: s.blockHardMatchTakeover.value, upnSoftMatch: s.upnSoftMatch.value, initialDomain };
}

/** One line for the terminal: each switch, its value and where it came from. */
export function settingsLine(s: TenantSettings): string {
  const where = (t: TenantSetting) => (t.source === 'file' ? `from ${s.file}` : t.source === 'flag' ? 'from the command line' : 'default');
  return `tenant settings: ${[s.blockSoftMatch, s.blockHardMatchTakeover, s.upnSoftMatch].map((t) => `${t.feature} ${t.value} (${where(t)})`).join(', ')}`;
}
