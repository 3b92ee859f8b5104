/**
 * The reconcile job done by DuckDB, as the benchmark's yardstick: read both exports, join on the
 * trimmed, lower-cased UPN, derive the expected ImmutableID from the anchor GUID in SQL, classify
 * every row into idrecon's statuses (docs/statuses.md, lib/core/classify.ts) and write one CSV
 * row per user in idrecon's order, in one COPY statement, as an expert would write it for speed.
 * bench/run.ts counts the statuses in that file afterwards, outside the timed process.
 *
 * It decides statuses only: no reasons, no Entra Connect prediction, no hard_match_upn and no
 * rejects file, which idrecon also works out. GUID cells are read in the display spelling the
 * generated files use; idrecon also reads csvde, Base64, LDIF, LDAP escapes and bare hex, and
 * rejects rows with the wrong field count.
 *
 * With --lean it runs leanSql instead: the query an admin reaching for DuckDB would write.
 *
 * Run by bench/run.ts as its own process:
 *   node dist/bench/duckdb-reconcile.js --onprem F --cloud F --out FILE.csv [--threads N] [--lean]
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The part of @duckdb/node-api used here. */
interface DuckDb {
  DuckDBInstance: {
    create(path: string, options: Record<string, string>): Promise<{
      connect(): Promise<{
        run(sql: string): Promise<unknown>;
        runAndReadAll(sql: string): Promise<{ getRowsJS(): unknown[][] }>;
        closeSync(): void;
      }>;
      closeSync(): void;
    }>;
  };
}

/**
 * DuckDB lives in bench/duckdb/, its own package that npm run bench installs, so the default
 * npm ci of idrecon does not pull its 70 MB; it is loaded from there at run time (dist/bench/ -> bench/duckdb/).
 */
const { DuckDBInstance } = createRequire(join(__dirname, '..', '..', 'bench', 'duckdb', 'package.json'))('@duckdb/node-api') as DuckDb;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Export-Csv of Windows PowerShell 5.1 starts with a `#TYPE ...` line before the header. */
function startsWithTypeLine(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8);
    const n = readSync(fd, buf, 0, 8, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').startsWith('#TYPE');
  } finally {
    closeSync(fd);
  }
}

/**
 * Stored-order hex of a display GUID cell `aabbccdd-eeff-gghh-iijj-kkllmmnnoopp`, NULL for
 * anything else: dd cc bb aa ff ee hh gg ii jj kk ..., the first three groups little-endian, the
 * last two as written. substr, not regular expressions: what an expert would write for speed.
 */
const storedHex = (cell: string): string => `CASE WHEN ${cell} LIKE '________-____-____-____-____________' THEN lower(
    substr(${cell}, 7, 2) || substr(${cell}, 5, 2) || substr(${cell}, 3, 2) || substr(${cell}, 1, 2) ||
    substr(${cell}, 12, 2) || substr(${cell}, 10, 2) || substr(${cell}, 17, 2) || substr(${cell}, 15, 2) ||
    substr(${cell}, 20, 4) || substr(${cell}, 25, 12)) END`;

/** Display form of stored-order hex (the same swap, with dashes). */
const displayOf = (hex: string): string =>
  `coalesce(substr(${hex}, 7, 2) || substr(${hex}, 5, 2) || substr(${hex}, 3, 2) || substr(${hex}, 1, 2) || '-' ||
    substr(${hex}, 11, 2) || substr(${hex}, 9, 2) || '-' || substr(${hex}, 15, 2) || substr(${hex}, 13, 2) || '-' ||
    substr(${hex}, 17, 4) || '-' || substr(${hex}, 21, 12), '')`;

/** One statement: read both files, join, classify, write in idrecon's order. */
export function reconcileSql(onprem: string, cloud: string, out: string, onpremSkip: number): string {
  const csv = `header = true, all_varchar = true, delim = ',', quote = '"', escape = '"'`;
  return `COPY (
     WITH cells AS (
       SELECT row_number() OVER () AS rn,
              trim(coalesce(UserPrincipalName, '')) AS upn,
              trim(coalesce(ObjectGUID, '')) AS og_cell,
              trim(coalesce("mS-DS-ConsistencyGuid", '')) AS cg_cell
       FROM read_csv(${literal(onprem)}, skip = ${onpremSkip}, ${csv})
     ), parsed AS (
       SELECT rn, upn, lower(upn) AS k, ${storedHex('og_cell')} AS og_hex, ${storedHex('cg_cell')} AS cg_hex, cg_cell <> '' AS use_cg
       FROM cells
     ), o AS (
       -- the anchor is mS-DS-ConsistencyGuid when the cell is not empty, else objectGUID
       SELECT rn, upn, k, og_hex, cg_hex,
              CASE WHEN k <> '' AND (CASE WHEN use_cg THEN cg_hex ELSE og_hex END) IS NOT NULL
                   THEN CASE WHEN use_cg THEN 'mS-DS-ConsistencyGuid' ELSE 'objectGUID' END END AS anchor_attribute,
              CASE WHEN k <> '' THEN to_base64(unhex(CASE WHEN use_cg THEN cg_hex ELSE og_hex END)) END AS expected
       FROM parsed
     ), c AS (
       SELECT row_number() OVER () AS rn,
              trim(coalesce(userPrincipalName, '')) AS upn,
              lower(trim(coalesce(userPrincipalName, ''))) AS k,
              trim(coalesce(id, '')) AS object_id,
              trim(coalesce(onPremisesImmutableId, '')) AS immutable_id,
              CASE lower(trim(coalesce(onPremisesSyncEnabled, ''))) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE '' END AS sync
       FROM read_csv(${literal(cloud)}, ${csv})
     ), dup_upn AS (
       SELECT k FROM o WHERE k <> '' GROUP BY k HAVING count(*) > 1
       UNION
       SELECT k FROM c WHERE k <> '' GROUP BY k HAVING count(*) > 1
     ), dup_anchor AS (
       SELECT expected FROM o WHERE expected IS NOT NULL GROUP BY expected HAVING count(*) > 1
     ), o2 AS (
       SELECT o.*, o.expected IS NOT NULL AS valid, d.k IS NOT NULL AS dup, a.expected IS NOT NULL AS dup_anchor,
              -- rows with a repeated UPN (on either side) join nothing
              CASE WHEN o.k <> '' AND d.k IS NULL THEN o.k END AS jk
       FROM o LEFT JOIN dup_upn d ON d.k = o.k LEFT JOIN dup_anchor a ON a.expected = o.expected
     ), c2 AS (
       SELECT c.*, d.k IS NOT NULL AS dup, CASE WHEN c.k <> '' AND d.k IS NULL THEN c.k END AS jk
       FROM c LEFT JOIN dup_upn d ON d.k = c.k
     )
     SELECT coalesce(o2.upn, c2.upn) AS upn,
            CASE
              WHEN o2.rn IS NOT NULL THEN CASE
                WHEN NOT o2.valid THEN 'invalid'
                WHEN o2.dup OR o2.dup_anchor THEN 'duplicate'
                WHEN c2.rn IS NULL THEN 'onprem-only'
                WHEN c2.immutable_id = o2.expected THEN 'match'
                WHEN c2.immutable_id = '' THEN 'missing'
                WHEN regexp_matches(c2.immutable_id, '^(0ua|00u)[0-9A-Za-z]{17}$') THEN 'okta-anchored'
                ELSE 'mismatch' END
              WHEN c2.k = '' THEN 'invalid'
              WHEN c2.dup THEN 'duplicate'
              ELSE 'cloud-only'
            END AS status,
            CASE WHEN o2.valid THEN o2.expected ELSE '' END AS expected_immutable_id,
            coalesce(c2.immutable_id, '') AS cloud_immutable_id,
            coalesce(o2.anchor_attribute, '') AS anchor_attribute,
            ${displayOf('o2.og_hex')} AS object_guid,
            ${displayOf('o2.cg_hex')} AS consistency_guid,
            coalesce(c2.upn, '') AS cloud_upn,
            coalesce(c2.object_id, '') AS cloud_object_id,
            coalesce(c2.sync, '') AS cloud_sync_enabled,
            o2.rn + ${onpremSkip + 1} AS onprem_line, c2.rn + 1 AS cloud_line
     FROM o2 FULL OUTER JOIN c2 ON o2.jk = c2.jk
     -- idrecon's order: on-prem file order, then the unjoined cloud rows in cloud file order
     ORDER BY o2.rn NULLS LAST, c2.rn
   ) TO ${literal(out)} (HEADER, DELIMITER ',')`;
}

/**
 * The lean query: read_csv both files, lower-case the UPN, full outer join, the ImmutableID from
 * the anchor GUID with substr/unhex/to_base64 (for cells shaped like a GUID), a CASE for match / missing / okta / mismatch / one
 * side only, COPY TO. No duplicate or invalid rows, no reasons or prediction, no line numbers,
 * no rejects, rows in whatever order the join gives.
 */
export function leanSql(onprem: string, cloud: string, out: string, onpremSkip: number): string {
  const csv = `header = true, all_varchar = true, delim = ',', quote = '"', escape = '"'`;
  const g = 'o.g';
  return `COPY (
     WITH o AS (
       SELECT UserPrincipalName AS upn, lower(UserPrincipalName) AS k, coalesce(nullif("mS-DS-ConsistencyGuid", ''), ObjectGUID) AS g
       FROM read_csv(${literal(onprem)}, skip = ${onpremSkip}, ${csv})
     ), c AS (
       SELECT userPrincipalName AS upn, lower(userPrincipalName) AS k, id, coalesce(onPremisesImmutableId, '') AS immutable_id
       FROM read_csv(${literal(cloud)}, ${csv})
     ), j AS (
       SELECT o.upn, c.upn AS cloud_upn, c.id AS cloud_object_id, c.immutable_id, o.k IS NULL AS cloud_only, c.k IS NULL AS onprem_only,
              CASE WHEN ${g} LIKE '________-____-____-____-____________' THEN
                to_base64(unhex(substr(${g}, 7, 2) || substr(${g}, 5, 2) || substr(${g}, 3, 2) || substr(${g}, 1, 2) ||
                substr(${g}, 12, 2) || substr(${g}, 10, 2) || substr(${g}, 17, 2) || substr(${g}, 15, 2) ||
                substr(${g}, 20, 4) || substr(${g}, 25, 12))) END AS expected
       FROM o FULL OUTER JOIN c ON o.k = c.k
     )
     SELECT coalesce(upn, cloud_upn) AS upn,
            CASE WHEN cloud_only THEN 'cloud-only'
                 WHEN onprem_only THEN 'onprem-only'
                 WHEN immutable_id = expected THEN 'match'
                 WHEN immutable_id = '' THEN 'missing'
                 WHEN substr(immutable_id, 1, 3) IN ('00u', '0ua') THEN 'okta-anchored'
                 ELSE 'mismatch' END AS status,
            expected AS expected_immutable_id, immutable_id AS cloud_immutable_id, cloud_upn, cloud_object_id
     FROM j
   ) TO ${literal(out)} (HEADER, DELIMITER ',')`;
}

async function main(): Promise<void> {
  const onprem = option('onprem');
  const cloud = option('cloud');
  const out = option('out');
  if (!onprem || !cloud || !out) throw new Error('usage: duckdb-reconcile --onprem FILE --cloud FILE --out FILE.csv [--threads N]');
  const threads = option('threads');
  const db = await DuckDBInstance.create(':memory:', threads ? { threads } : {});
  const con = await db.connect();
  const sql = process.argv.includes('--lean') ? leanSql : reconcileSql;
  await con.run(sql(onprem, cloud, out, startsWithTypeLine(onprem) ? 1 : 0));
  const [[version, usedThreads]] = (await con.runAndReadAll("SELECT version(), current_setting('threads')")).getRowsJS();
  con.closeSync();
  db.closeSync();
  console.log(JSON.stringify({ duckdb: String(version), threads: Number(usedThreads) }));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
