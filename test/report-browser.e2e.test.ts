/**
 * report.html in a real browser: Debian's Chromium, driven by playwright-core, opened from disk
 * as a change board would open it from a file share. It must load with no console error and no
 * request beyond the file itself, show the numbers of summary.json, and filter its table.
 * Screenshots go to test-artifacts/ for CI to keep.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { generate } from '../bench/generate';
import { ROOT, spawnCli, tempDir } from './helpers';

jest.setTimeout(120_000);

const ARTIFACTS = join(ROOT, 'test-artifacts');
let context: BrowserContext;

beforeAll(async () => {
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'idrecon-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
});

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests };
}

const number = (text: string | null): number => Number((text ?? '').replace(/,/g, ''));

/** Every count of every chart, as the page shows it. */
async function chartCounts(page: Page): Promise<Record<string, Record<string, number>>> {
  const cells = await page.$$eval('section[data-chart] td[data-count]', (tds) =>
    tds.map((td) => [td.closest('section')!.getAttribute('data-chart')!, td.getAttribute('data-count')!, td.textContent ?? ''] as const),
  );
  const out: Record<string, Record<string, number>> = {};
  for (const [chart, name, text] of cells) (out[chart] ??= {})[name] = number(text);
  return out;
}

const countsOf = (summary: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(summary).filter(([, v]) => typeof v === 'object' && v !== null && Object.values(v).every((n) => typeof n === 'number')));

async function pick(page: Page, column: string, value: string): Promise<number> {
  await page.selectOption(`select[data-filter="${column}"]`, value);
  return number(await page.getAttribute('#match-info', 'data-hits'));
}

test('the fixtures report shows summary.json, what to do, and filters its rows', async () => {
  const out = tempDir();
  const r = spawnCli(['reconcile', '--onprem', 'fixtures/onprem-users.csv', '--cloud', 'fixtures/cloud-users.csv', '--out', out]);
  expect(r.code).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const { page, problems, requests } = await open(join(out, 'report.html'));

  expect(await chartCounts(page)).toEqual(countsOf(summary));
  expect(number(await page.textContent('#match-count'))).toBe(summary.status.match);
  expect(number(await page.textContent('#attention-count'))).toBe(summary.output_rows - summary.status.match);
  expect(number(await page.textContent('#total-count'))).toBe(summary.output_rows);
  expect(await page.textContent('#cap-note')).toBe('All 36 rows that need attention (every status but match). They are also in reconciliation.csv beside this file.');
  // The same words as docs/statuses.md
  expect(await page.textContent('section[data-chart="status_reason"] tr:has(th:text-is("mismatch/byte-order")) td.todo')).toBe(
    'set the cloud ImmutableID to expected_immutable_id. Check other users changed by the same script: they will all have this reason.',
  );
  expect(await page.textContent('#about')).toContain('fixtures/onprem-users.csv');

  expect(number(await page.getAttribute('#match-info', 'data-hits'))).toBe(36);
  expect(await pick(page, 'status', 'mismatch')).toBe(summary.status.mismatch);
  expect(await pick(page, 'reason', 'byte-order')).toBe(1);
  expect(await page.$$eval('#rows tbody td:first-child', (tds) => tds.map((td) => td.textContent))).toEqual(['dan.davis@contoso.com']);
  await pick(page, 'reason', '');
  await pick(page, 'status', '');
  expect(await pick(page, 'entra_connect', 'duplicate-created')).toBe(summary.entra_connect['duplicate-created']);
  await pick(page, 'entra_connect', '');
  await page.fill('#search', 'CAROL.clark');
  expect(number(await page.getAttribute('#match-info', 'data-hits'))).toBe(1);
  await page.fill('#search', '');

  await page.screenshot({ path: join(ARTIFACTS, 'report-fixtures.png'), fullPage: true });
  expect(problems).toEqual([]);
  expect(requests).toEqual([pathToFileURL(join(out, 'report.html')).href]);
});

test('UPNs are shown as text, never run as markup', async () => {
  const dir = tempDir();
  const hostile = `<img src=x onerror="alert(1)">@contoso.com`;
  writeFileSync(join(dir, 'onprem.csv'), `UserPrincipalName,ObjectGUID\n"${hostile.replace(/"/g, '""')}",392b9c21-56d4-59e6-a6fd-ba06193fc273\n`);
  writeFileSync(join(dir, 'cloud.csv'), 'id,userPrincipalName,onPremisesImmutableId\nc1,</script><script>alert(2)</script>@contoso.com,\n');
  const r = spawnCli(['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', join(dir, 'out')]);
  expect(r.code).toBe(0);
  const { page, problems, requests } = await open(join(dir, 'out', 'report.html'));
  expect(await page.$$eval('#rows tbody td:first-child', (tds) => tds.map((td) => td.textContent))).toEqual([hostile, '</script><script>alert(2)</script>@contoso.com']);
  expect(await page.$$('img')).toHaveLength(0);
  expect(problems).toEqual([]);
  expect(requests).toHaveLength(1);
});

test('a 100,000-user report caps its rows, opens quickly and still agrees with summary.json', async () => {
  const dir = tempDir();
  await generate(100_000, 7, join(dir, 'onprem.csv'), join(dir, 'cloud.csv'));
  const r = spawnCli(['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', join(dir, 'out')]);
  expect(r.code).toBe(0);
  const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
  const { page, problems, requests } = await open(join(dir, 'out', 'report.html'));

  expect(await chartCounts(page)).toEqual(countsOf(summary));
  const attention = summary.output_rows - summary.status.match;
  const embedded = (prefix: string) =>
    Object.entries(summary.status_reason as Record<string, number>)
      .filter(([k]) => k !== 'match' && (k === prefix || k.startsWith(`${prefix}/`) || prefix === ''))
      .reduce((sum, [, n]) => sum + Math.min(n, 500), 0);
  expect(number(await page.textContent('#attention-count'))).toBe(attention);
  expect(await page.textContent('#cap-note')).toBe(
    `Showing ${embedded('').toLocaleString('en-US')} of the ${attention.toLocaleString('en-US')} rows that need attention: at most 500 of each status and reason, the first in the file. Every row is in reconciliation.csv beside this file.`,
  );
  expect(await page.$$eval('#rows tbody tr', (trs) => trs.length)).toBe(1000);
  expect(await pick(page, 'status', 'missing')).toBe(embedded('missing'));
  expect(await pick(page, 'status', 'mismatch')).toBe(embedded('mismatch'));
  const upn = await page.textContent('#rows tbody tr:nth-child(7) td:first-child');
  await page.fill('#search', upn!.toUpperCase());
  expect(await page.$$eval('#rows tbody td:first-child', (tds) => tds.map((td) => td.textContent))).toEqual([upn]);

  await page.screenshot({ path: join(ARTIFACTS, 'report-100k.png') });
  expect(problems).toEqual([]);
  expect(requests).toHaveLength(1);
});
