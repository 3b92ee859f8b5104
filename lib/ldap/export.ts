/**
 * The on-prem export: every user under each base DN, read from a domain controller with the paged
 * results control and streamed into the on-prem CSV one page at a time, so memory does not grow
 * with the directory. Binary attributes are read as bytes. The file appears only when every base
 * is read; a dropped connection, or a DC that stops answering, starts the export over (a paged
 * search cannot be resumed on a new connection), a bounded number of times.
 */
import type { Client, Entry } from 'ldapts';
import { type AttributeValue, type DirectoryEntry } from '../core/directory-entry';
import { BINARY_ATTRIBUTES, type EntryCounts, ONPREM_CSV_COLUMNS, ONPREM_LDAP_ATTRIBUTES, countRow, noCounts, onpremRow } from '../formats/onprem-users';
import { IdreconError } from '../errors';
import type { Clock } from '../graph/clock';
import { CsvWriter, writeWhole } from '../io/csv-writer';
import { type DcOptions, checkUrl, connect, describe, isTransient, tlsOptions } from './connect';

export const DEFAULT_FILTER = '(&(objectCategory=person)(objectClass=user))';

/** Active Directory's MaxPageSize: a DC returns no more than this per page whatever is asked. */
export const AD_PAGE_SIZE = 1000;

export interface OnpremExportOptions extends DcOptions {
  baseDns: string[];
  filter: string;
  pageSize: number;
  maxRetries: number;
  out: string;
}

export interface OnpremExportResult {
  users: number;
  pages: number;
  /** Continuation references (to other partitions or domains), which are not followed. */
  references: number;
  retries: number;
  perBase: { baseDn: string; counts: EntryCounts }[];
}

export interface OnpremExportHooks {
  onUser?(users: number): void;
  onRetry?(e: { retry: number; waitMs: number; reason: string }): void;
}

/** First wait before a new attempt; doubles each time, up to a minute. */
const FIRST_WAIT_MS = 1000;

/** An entry of ldapts: values by attribute name as the DC spelled it; Buffers for the binary ones. */
function asDirectoryEntry(entry: Entry, options: Pick<DcOptions, 'url'>): DirectoryEntry {
  const byName = new Map<string, AttributeValue[]>();
  for (const [name, raw] of Object.entries(entry)) {
    if (name === 'dn') continue;
    const values = (Array.isArray(raw) ? raw : [raw]) as (string | Buffer)[];
    byName.set(name.toLowerCase(), values);
  }
  for (const name of BINARY_ATTRIBUTES) {
    // A binary value that came back as text was decoded, and possibly corrupted, on the way: never write it.
    if (byName.get(name.toLowerCase())?.some((v) => typeof v === 'string')) {
      throw new IdreconError('LDAP_ERROR', `${options.url}: ${name} of ${entry.dn} came back as text, not bytes; the DC spells the attribute differently from the AD schema`);
    }
  }
  return { dn: entry.dn, values: (a) => byName.get(a.toLowerCase()) ?? [] };
}

async function attempt(options: OnpremExportOptions, url: URL, hooks: OnpremExportHooks): Promise<Omit<OnpremExportResult, 'retries'>> {
  const tls = tlsOptions(url, options.caFile);
  const client: Client = await connect(options, url, tls);
  const out = new CsvWriter(options.out, ONPREM_CSV_COLUMNS);
  const result: Omit<OnpremExportResult, 'retries'> = { users: 0, pages: 0, references: 0, perBase: [] };
  try {
    return await writeWhole(out, async () => {
      for (const baseDn of options.baseDns) {
        const counts = noCounts();
        result.perBase.push({ baseDn, counts });
        const pages = client.searchPaginated(baseDn, {
          scope: 'sub',
          filter: options.filter,
          attributes: [...ONPREM_LDAP_ATTRIBUTES],
          explicitBufferAttributes: [...BINARY_ATTRIBUTES],
          paged: { pageSize: options.pageSize },
        });
        for await (const page of pages) {
          result.pages++;
          result.references += page.searchReferences.length;
          for (const entry of page.searchEntries) {
            const row = onpremRow(asDirectoryEntry(entry, options));
            await out.row(row);
            countRow(counts, row);
            hooks.onUser?.(++result.users);
          }
        }
      }
      return result;
    });
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export async function exportOnprem(options: OnpremExportOptions, clock: Clock, hooks: OnpremExportHooks = {}): Promise<OnpremExportResult> {
  const url = checkUrl(options);
  for (let retry = 0; ; retry++) {
    try {
      return { ...(await attempt(options, url, hooks)), retries: retry };
    } catch (err) {
      if (err instanceof IdreconError) throw err;
      if (!isTransient(err) || retry >= options.maxRetries) {
        const gaveUp = isTransient(err) ? ` (given up after ${retry} ${retry === 1 ? 'retry' : 'retries'})` : '';
        throw new IdreconError('LDAP_ERROR', `${describe(err, options)}${gaveUp}`);
      }
      const waitMs = Math.min(FIRST_WAIT_MS * 2 ** retry, 60_000);
      hooks.onRetry?.({ retry: retry + 1, waitMs, reason: describe(err, options) });
      await clock.sleep(waitMs);
    }
  }
}
