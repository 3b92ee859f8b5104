/**
 * The rows' blocks and their buffers go between reconcile's two threads without detaching an
 * ArrayBuffer (lib/io/buffer-pool.ts). The first detach in a thread invalidates V8's
 * "ArrayBufferDetaching" protector, and V8 then throws away every optimised function that reads a
 * typed array: at 1M users about 50 functions per thread, compiled again (2.1 s of compiling in
 * all instead of 1.6 s). V8 says when it invalidates a protector; this run must never say it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../bench/generate';
import { ROOT, tempDir } from './helpers';

test('two threads writing 40,000 users hand their buffers to each other without detaching one', async () => {
  const dir = tempDir();
  await generate(40_000, 3, join(dir, 'onprem.csv'), join(dir, 'cloud.csv'));
  const out = join(dir, 'out');
  const r = spawnSync(
    process.execPath,
    ['--trace-protector-invalidation', join(ROOT, 'bin', 'idrecon.js'), 'reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', out, '--threads', '2'],
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ balanced: true, inputs: { onprem: { rows: 40_000 } } });
  expect(r.stdout).not.toMatch(/Invalidating protector cell ArrayBufferDetaching/);
});
