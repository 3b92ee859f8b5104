/**
 * report.html is built from whatever summary.json and reconciliation.csv hold: a count or a column
 * a later version adds shows up as a chart or a filter without changes, and every value is escaped.
 */
import { parseAdvice } from '../lib/reconcile/advice';
import { renderReport } from '../lib/reconcile/html-report';

const advice = parseAdvice('## What Entra Connect will do (entra_connect)\n\n| Value | Given to | Meaning |\n|---|---|---|\n| `create` | x | Creates a **new** user. |\n');

const report = renderReport({
  summary: {
    idrecon_version: '9.9.9',
    ran_at: '2026-12-01T00:00:00.000Z',
    settings: { source_anchor: 'auto' },
    tenant_settings: { blockSoftMatchEnabled: { value: true, from: 'settings.json' } },
    inputs: { onprem: { file: 'on<script>.csv', rows: 2 }, cloud: { file: 'cloud.csv', rows: 1 } },
    output_rows: 2,
    status: { match: 1, 'onprem-only': 1 },
    entra_connect: { 'hard-match': 1, create: 1 },
    okta_check: { agrees: 1, 'stamps-other-value': 1 },
    balanced: true,
  },
  columns: ['upn', 'status', 'reason', 'entra_connect', 'okta_check'],
  rows: [['a&b@contoso.com', 'onprem-only', 'will-create', 'create', 'stamps-other-value']],
  attentionTotal: 1,
  perGroup: 500,
  advice,
});

test('a count summary.json gains becomes a chart, and a ..._check column a filter', () => {
  expect(report).toContain('<section class="chart" data-chart="okta_check"><h2>Rows per okta check</h2>');
  expect(report).toContain('<td class="n" data-count="stamps-other-value">1</td>');
  expect(report).toContain('<select data-filter="okta_check">');
  expect(report).toContain('<td class="todo">Creates a <b>new</b> user.</td>');
});

test('settings and tenant switches are listed in words, and every value is escaped', () => {
  expect(report).toContain('<tr><th scope="row">source_anchor</th><td>auto</td></tr>');
  expect(report).toContain('<tr><th scope="row">tenant_settings</th><td>blockSoftMatchEnabled: value: true, from: settings.json</td></tr>');
  expect(report).toContain('<td>on&lt;script&gt;.csv</td>');
  expect(report).not.toContain('on<script>');
  expect(report).toContain('"a&b@contoso.com"');
  expect(report.match(/<script/g)).toHaveLength(2);
});
