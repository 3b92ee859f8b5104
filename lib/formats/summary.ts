/**
 * summary.json, which reconcile writes beside reconciliation.csv: the counts by status, reason and
 * Entra Connect outcome, which must add up to the inputs, the tenant switches the prediction
 * assumed, and the run's version and settings. report.html is built from the same object; idrecon
 * never reads the file back. docs/reconcile.md.
 */
import type { Status } from '../core/classify';
import type { SourceAnchor } from '../core/records';
import type { CsvStats } from '../io/csv-reader';
import type { AtomicFile } from '../io/csv-writer';
import { VERSION } from '../version';

export interface InputSummary {
  file: string;
  rows: number;
  blank_rows: number;
  encoding: string;
  delimiter: string;
}

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

export const OKTA_CHECKS = ['agrees', 'differs', 'not-assigned'] as const;
export type OktaCheck = (typeof OKTA_CHECKS)[number];

export interface OktaSummary {
  file: string;
  /** Data rows of the Okta file. */
  rows: number;
  /** Distinct user names among them (a user in several Office 365 instances has a row for each). */
  users: number;
  /** Rows with an empty user name: no reconciliation row can be theirs. */
  without_user_name: number;
  /** Okta users whose user name is the UPN of no reconciliation row. */
  not_in_reconciliation: number;
  /** Reconciliation rows by okta_check. */
  check: Record<OktaCheck, number>;
}

// Types, not interfaces: report.html takes the file as a plain record of its keys.
export type Summary = {
  inputs: { onprem: InputSummary; cloud: InputSummary };
  output_rows: number;
  joined_pairs: number;
  rejects: number;
  status: Record<Status, number>;
  status_reason: Record<string, number>;
  entra_connect: Record<string, number>;
  /** Entra Connect outcomes by reason, as `outcome/reason` (an outcome alone where there is none). */
  entra_connect_reason: Record<string, number>;
  /** The tenant switches the prediction assumed, each with where it came from. */
  tenant_settings: TenantSettings;
  /** With reconcile --okta only. */
  okta?: OktaSummary;
  /** onprem rows + cloud rows = output rows + joined pairs. */
  balanced: boolean;
  /** The same check written out for an auditor. */
  check: string;
};

/** The file: the summary after the version, the time and the settings of the run. */
export type SummaryFile = {
  idrecon_version: string;
  ran_at: string;
  settings: { source_anchor: SourceAnchor; hex_order: string; block_soft_match: boolean };
} & Summary;

export function inputSummary(file: string, rows: number, stats: CsvStats): InputSummary {
  return { file, rows, blank_rows: stats.blankRows, encoding: stats.encoding, delimiter: stats.delimiter === '\t' ? 'tab' : stats.delimiter };
}

export function summaryFile(summary: Summary, run: { ranAt: string; sourceAnchor: SourceAnchor; hexOrder?: string }): SummaryFile {
  return {
    idrecon_version: VERSION,
    ran_at: run.ranAt,
    settings: { source_anchor: run.sourceAnchor, hex_order: run.hexOrder ?? '', block_soft_match: summary.tenant_settings.blockSoftMatch.value },
    ...summary,
  };
}

/** Into `out`, which its set publishes. */
export async function writeSummary(out: AtomicFile, s: SummaryFile): Promise<void> {
  await out.write(`${JSON.stringify(s, null, 2)}\n`);
}
