/**
 * reconcile's output buffers are used again once their bytes are in the file; a buffer comes back
 * whole (its memory, whatever part of it a chunk showed) and only buffers of the pool's size are kept.
 */
import { BufferPool } from '../lib/io/buffer-pool';

test('a written buffer is handed out again, from this thread or from another', () => {
  const fromElsewhere: ArrayBuffer[] = [];
  const pool = new BufferPool(1024, () => fromElsewhere.shift());
  const first = pool.take();
  expect(first.length).toBe(1024);
  expect(pool.take().buffer).not.toBe(first.buffer);
  pool.give(first.subarray(0, 10).buffer);
  expect(pool.take().buffer).toBe(first.buffer);

  const other = new ArrayBuffer(1024);
  fromElsewhere.push(other);
  expect(pool.take().buffer).toBe(other);
  expect(fromElsewhere).toEqual([]);
});

test('a buffer of another size (a row longer than a buffer) is left to the collector', () => {
  const pool = new BufferPool(1024);
  const long = Buffer.allocUnsafe(4096);
  pool.give(long.buffer);
  const next = pool.take();
  expect(next.buffer).not.toBe(long.buffer);
  expect(next.length).toBe(1024);
});
