/**
 * The tenant switches Entra Connect's matching depends on: from a saved
 * GET /directory/onPremisesSynchronization (or Get-MgDirectoryOnPremiseSynchronization |
 * ConvertTo-Json), overridden by flags, else Microsoft's defaults. Each setting remembers where
 * it came from, for the summary and the terminal.
 */
import { DEFAULT_TENANT, type ClassifyOptions } from '../core/classify';
import { FEATURES, type TenantSwitch } from '../formats/tenant-settings';
import type { TenantSetting, TenantSettings } from '../formats/summary';

/** Flags win over the file, the file over the defaults. */
export function resolveTenantSettings(fromFile: Partial<Record<TenantSwitch, boolean>>, flags: Partial<Record<TenantSwitch, boolean>>, file?: string): TenantSettings {
  const one = (key: TenantSwitch): TenantSetting => {
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
