/**
 * report.html: one self-contained page for a change board (no network, no external fonts or
 * scripts; a Content-Security-Policy forbids any). Built from summary.json and a sample of the
 * reconciliation rows, keyed on summary keys and column names only, so counts and columns that
 * later versions add show up without changes here. Every value is escaped: UPNs come from the
 * directory and may hold markup. Pure.
 */
import { type Advice, todoFor } from './advice';

export interface ReportInput {
  /** The object written to summary.json. */
  summary: Record<string, unknown>;
  /** The reconciliation.csv header. */
  columns: readonly string[];
  /** The rows that need attention embedded in the page, in file order. */
  rows: readonly string[][];
  /** Rows of reconciliation.csv that need attention (every status but match). */
  attentionTotal: number;
  /** At most this many rows of one status/reason are embedded. */
  perGroup: number;
  advice: Advice;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** The little Markdown of docs/statuses.md (code, bold, links) as HTML; everything else escaped. */
function inline(markdown: string): string {
  return esc(markdown)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
}

const isCounts = (v: unknown): v is Record<string, number> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).length > 0 && Object.values(v).every((n) => typeof n === 'number');

const TITLES: Record<string, string> = {
  status: 'Rows per status',
  status_reason: 'Rows per status and reason, and what to do',
  entra_connect: 'What Entra Connect will do when it leaves staging mode',
  entra_connect_reason: 'What Entra Connect will do, and why',
};
const titleOf = (key: string): string => TITLES[key] ?? `Rows per ${key.replace(/_/g, ' ')}`;

/** match first (the good news), then the rest by count, largest first. */
function ordered(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => Number(b === 'match') - Number(a === 'match') || y - x || a.localeCompare(b));
}

function chart(key: string, counts: Record<string, number>, advice: Advice): string {
  const entries = ordered(counts);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const note = (name: string): string => {
    if (key === 'status_reason') return name === 'match' ? 'Nothing to do.' : inline(todoFor(advice, name) ?? '');
    if (key === 'entra_connect' || key === 'entra_connect_reason') return inline(advice.outcome.get(name.split('/')[0]) ?? '');
    return '';
  };
  const hasNotes = entries.some(([name]) => note(name) !== '');
  const rows = entries.map(([name, n]) => {
    const width = Math.max(n > 0 ? 1 : 0, Math.round((n / max) * 200));
    const tone = name === 'match' || name === 'hard-match' ? 'good' : n === 0 ? 'none' : 'attn';
    const bar = `<svg class="bar" width="204" height="14" role="img" aria-label="${n}"><rect class="${tone}" x="0" y="1" width="${width}" height="12" rx="2"/></svg>`;
    return `<tr><th scope="row">${esc(name)}</th><td class="n" data-count="${esc(name)}">${n.toLocaleString('en-US')}</td><td>${bar}</td>${hasNotes ? `<td class="todo">${note(name)}</td>` : ''}</tr>`;
  });
  const head = `<tr><th>${esc(key)}</th><th class="n">rows</th><th></th>${hasNotes ? `<th>${key === 'entra_connect' ? 'meaning' : 'what to do'}</th>` : ''}</tr>`;
  return `<section class="chart" data-chart="${esc(key)}"><h2>${esc(titleOf(key))}</h2><table>${head}${rows.join('')}</table></section>`;
}

/** A value in words: nested records as "key: value" pairs, never JSON. */
const words = (v: unknown): string =>
  typeof v === 'object' && v !== null ? Object.entries(v).map(([k, x]) => `${k}: ${words(x)}`).join(', ') : String(v);

function keyValues(record: Record<string, unknown>): string {
  return `<table class="kv">${Object.entries(record)
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(words(v))}</td></tr>`)
    .join('')}</table>`;
}

function inputs(summary: Record<string, unknown>): string {
  const given = summary.inputs as Record<string, Record<string, unknown>> | undefined;
  if (!given) return '';
  const fields = [...new Set(Object.values(given).flatMap((i) => Object.keys(i)))];
  const rows = Object.entries(given).map(([side, i]) => `<tr><th scope="row">${esc(side)}</th>${fields.map((f) => `<td>${esc(i[f] ?? '')}</td>`).join('')}</tr>`);
  return `<table class="inputs"><tr><th></th>${fields.map((f) => `<th>${esc(f.replace(/_/g, ' '))}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

/** Columns whose values are a short list to pick from: status, reason, outcome, and later checks. */
const filterColumns = (columns: readonly string[]): string[] =>
  columns.filter((c) => c === 'status' || c === 'reason' || c === 'entra_connect' || /_(reason|check|outcome)$/.test(c));

export function renderReport(r: ReportInput): string {
  const s = r.summary;
  const status = (s.status ?? {}) as Record<string, number>;
  const total = Number(s.output_rows ?? 0);
  const match = status.match ?? 0;
  const charts = Object.entries(s)
    .filter((e): e is [string, Record<string, number>] => isCounts(e[1]))
    .map(([key, counts]) => chart(key, counts, r.advice));
  const others = Object.fromEntries(Object.entries(s).filter(([, v]) => typeof v !== 'object'));
  // Every other record is something the run assumed or was told (settings, tenant switches).
  const assumed = Object.fromEntries(
    Object.entries(s)
      .filter(([k, v]) => k !== 'inputs' && typeof v === 'object' && v !== null && !isCounts(v))
      .flatMap(([k, v]) => (k === 'settings' ? Object.entries(v as object) : [[k, v]])),
  );
  const filters = filterColumns(r.columns);
  const shown = r.rows.length;
  const capNote =
    shown < r.attentionTotal
      ? `Showing ${shown.toLocaleString('en-US')} of the ${r.attentionTotal.toLocaleString('en-US')} rows that need attention: at most ${r.perGroup.toLocaleString('en-US')} of each status and reason, the first in the file. Every row is in reconciliation.csv beside this file.`
      : `All ${r.attentionTotal.toLocaleString('en-US')} rows that need attention (every status but match). They are also in reconciliation.csv beside this file.`;
  const data = JSON.stringify({ columns: r.columns, filters, rows: r.rows }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>idrecon report: ${esc(total)} users, ${esc(total - match)} need attention</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>ImmutableID reconciliation</h1>
<p class="meta">idrecon ${esc(s.idrecon_version ?? '')}, run at ${esc(s.ran_at ?? '')}</p>
</header>
<section class="headline">
<div class="tile good"><span class="big" id="match-count">${match.toLocaleString('en-US')}</span> match: nothing to do</div>
<div class="tile attn"><span class="big" id="attention-count">${r.attentionTotal.toLocaleString('en-US')}</span> need attention</div>
<div class="tile"><span class="big" id="total-count">${total.toLocaleString('en-US')}</span> rows in reconciliation.csv</div>
<div class="tile"><span class="big" id="rejects-count">${esc(Number(s.rejects ?? 0).toLocaleString('en-US'))}</span> input rows rejected (rejects.csv)</div>
</section>
${charts.join('\n')}
<section id="attention">
<h2>Rows that need attention</h2>
<p class="note" id="cap-note">${esc(capNote)}</p>
<div class="controls">
<label>Search <input id="search" type="search" placeholder="UPN, ImmutableID, GUID..."></label>
${filters.map((c) => `<label>${esc(c)} <select data-filter="${esc(c)}"><option value="">all</option></select></label>`).join('\n')}
<span id="match-info"></span>
</div>
<div class="scroll"><table id="rows"><thead></thead><tbody></tbody></table></div>
</section>
<section id="about">
<h2>Inputs and settings</h2>
${inputs(s)}
<h3>Settings assumed</h3>
${keyValues(assumed)}
<h3>Accounting</h3>
${keyValues(others)}
</section>
<script type="application/json" id="data">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1400px;padding:16px 24px;color:#1d2430;background:#fff}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px}h3{font-size:14px;margin:16px 0 6px}
.meta,.note{color:#555}
.headline{display:flex;gap:12px;flex-wrap:wrap;margin-top:16px}
.tile{border:1px solid #d5d9e0;border-radius:6px;padding:10px 14px;min-width:160px}
.tile.good{border-color:#3c8d5a;background:#eef7f1}.tile.attn{border-color:#c0782b;background:#fdf4ea}
.big{display:block;font-size:26px;font-weight:600}
table{border-collapse:collapse}th,td{text-align:left;padding:3px 8px;vertical-align:top}
.chart th[scope=row]{font-weight:500;white-space:nowrap}.n{text-align:right;font-variant-numeric:tabular-nums}
.todo{color:#333;max-width:760px}
rect.good{fill:#3c8d5a}rect.attn{fill:#c0782b}rect.none{fill:#ccc}
code{font:12px ui-monospace,Consolas,monospace;background:#f2f3f5;padding:0 3px;border-radius:3px}
.controls{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin:8px 0}
.scroll{overflow:auto;max-height:70vh;border:1px solid #d5d9e0}
#rows{font-size:12px}#rows th{position:sticky;top:0;background:#f2f3f5}#rows td{white-space:nowrap;border-top:1px solid #eee}
.kv th{font-weight:500}.inputs th,.inputs td{border-bottom:1px solid #eee}
`;

/** Builds the table from the embedded rows with textContent only (never as HTML), and filters it. */
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('data').textContent);
  var cols = data.columns, rows = data.rows, PAGE = 1000;
  var table = document.getElementById('rows');
  var head = document.createElement('tr');
  cols.forEach(function (c) { var th = document.createElement('th'); th.textContent = c; head.appendChild(th); });
  table.tHead.appendChild(head);
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  selects.forEach(function (sel) {
    var i = cols.indexOf(sel.getAttribute('data-filter'));
    var seen = {};
    rows.forEach(function (r) { seen[r[i]] = (seen[r[i]] || 0) + 1; });
    Object.keys(seen).sort().forEach(function (v) {
      var o = document.createElement('option');
      o.value = v; o.textContent = (v === '' ? '(empty)' : v) + ' (' + seen[v] + ')';
      if (v === '') o.value = '\\u0000empty';
      sel.appendChild(o);
    });
  });
  var search = document.getElementById('search');
  var info = document.getElementById('match-info');
  function render() {
    var q = search.value.trim().toLowerCase();
    var wanted = selects.map(function (sel) {
      var v = sel.value;
      return { i: cols.indexOf(sel.getAttribute('data-filter')), v: v === '\\u0000empty' ? '' : v, any: v === '' };
    });
    var body = document.createElement('tbody');
    var hits = 0;
    for (var k = 0; k < rows.length; k++) {
      var r = rows[k], ok = true;
      for (var w = 0; w < wanted.length && ok; w++) if (!wanted[w].any && r[wanted[w].i] !== wanted[w].v) ok = false;
      if (ok && q) ok = r.join('\\u0001').toLowerCase().indexOf(q) >= 0;
      if (!ok) continue;
      hits++;
      if (hits > PAGE) continue;
      var tr = document.createElement('tr');
      for (var c = 0; c < r.length; c++) { var td = document.createElement('td'); td.textContent = r[c]; tr.appendChild(td); }
      body.appendChild(tr);
    }
    table.replaceChild(body, table.tBodies[0]);
    info.textContent = hits + ' matching rows' + (hits > PAGE ? ' (the first ' + PAGE + ' shown: narrow the search)' : '');
    info.setAttribute('data-hits', String(hits));
  }
  search.addEventListener('input', render);
  selects.forEach(function (sel) { sel.addEventListener('change', render); });
  render();
})();
`;
