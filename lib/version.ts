/**
 * The version an admin cites in a change record (idrecon --version, summary.json, apply's
 * results), and the folder idrecon is installed in, whose docs/ report.html quotes. Found from
 * the package's own package.json: two folders up from the compiled file (dist/lib/), one up from
 * the source (lib/, under ts-jest).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function findPackage(): { root: string; version: string } {
  for (const root of [join(__dirname, '..'), join(__dirname, '..', '..')]) {
    const file = join(root, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'idrecon' && pkg.version) return { root, version: pkg.version };
  }
  throw new Error(`idrecon's package.json was not found above ${__dirname}`);
}

const found = findPackage();
export const VERSION = found.version;
export const PACKAGE_ROOT = found.root;
