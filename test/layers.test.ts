/**
 * The layering of docs/architecture.md, read from the import graph of lib/ (type-only imports and
 * re-exports included): each layer imports only the layers below it, lib/core does no I/O, and no
 * module imports itself through others.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers';

const LIB = join(ROOT, 'lib');

/** Lowest first; modules of one rank in different folders do not import each other. */
const RANK: Record<string, number> = {
  errors: 0,
  version: 0,
  options: 1,
  core: 1,
  io: 2,
  formats: 3,
  graph: 4,
  ldap: 5,
  okta: 5,
  tenant: 5,
  plan: 6,
  reconcile: 7,
  apply: 7,
  commands: 9,
  cli: 10,
};

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The layer of a file under lib/: its folder, or its own name for the files at the top. */
const layerOf = (file: string): string => relative(LIB, file).split('/')[0].replace(/\.ts$/, '');

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s*'([^']+)'/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const FILES = modules(LIB);
const GRAPH = new Map(
  FILES.map((f) => [
    f,
    importsOf(f)
      .filter((s) => s.startsWith('.'))
      .map((s) => `${resolve(dirname(f), s)}.ts`),
  ]),
);
const name = (f: string) => relative(ROOT, f);

describe('layers of lib/', () => {
  it('knows the layer of every file', () => {
    expect(FILES.map(layerOf).filter((l) => RANK[l] === undefined)).toEqual([]);
  });

  it('has every import resolve to a file of lib/', () => {
    const missing = [...GRAPH].flatMap(([f, targets]) => targets.filter((t) => !GRAPH.has(t)).map((t) => `${name(f)} -> ${name(t)}`));
    expect(missing).toEqual([]);
  });

  it('imports only downwards', () => {
    const upwards = [...GRAPH].flatMap(([f, targets]) =>
      targets
        .filter((t) => layerOf(t) !== layerOf(f) && RANK[layerOf(t)] >= RANK[layerOf(f)])
        .map((t) => `${name(f)} -> ${name(t)}`),
    );
    expect(upwards).toEqual([]);
  });

  it('keeps lib/graph ignorant of the local tenant', () => {
    const graph = [...GRAPH].filter(([f]) => layerOf(f) === 'graph');
    expect(graph.length).toBeGreaterThan(0);
    expect(graph.flatMap(([f, targets]) => targets.filter((t) => layerOf(t) === 'tenant').map((t) => `${name(f)} -> ${name(t)}`))).toEqual([]);
  });

  it('keeps lib/core pure: no Node module, no package, no process', () => {
    const core = FILES.filter((f) => layerOf(f) === 'core');
    const impure = core.flatMap((f) => [
      ...importsOf(f)
        .filter((s) => !s.startsWith('.'))
        .map((s) => `${name(f)} imports ${s}`),
      ...(/\bprocess\.|\brequire\(/.test(readFileSync(f, 'utf8')) ? [`${name(f)} uses process or require`] : []),
    ]);
    expect(impure).toEqual([]);
  });

  it('has no import cycles, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      path.push(f);
      for (const t of GRAPH.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...path.slice(path.indexOf(t)), t].map(name).join(' -> '));
        else if (!state.has(t)) visit(t);
      }
      path.pop();
      state.set(f, 'done');
    };
    for (const f of FILES) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('reads every form of import lib/ uses: type-only, multi-line, re-export', () => {
    // The rules above are only as good as this reader.
    expect(importsOf(join(LIB, 'core/tables.ts'))).toEqual(['./statuses']);
    expect(importsOf(join(LIB, 'core/classify.ts'))).toEqual(['./guid', './tables', './guid', './statuses', './statuses']);
  });
});
