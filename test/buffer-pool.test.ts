/**
 * reconcile's output buffers are used again once their bytes are in the file; a buffer comes back
 * whole (its memory, whatever part of it a chunk showed) and only buffers of the pool's size are
 * kept. They are shared memory: posted to another thread, a buffer stays whole in the sender.
 */
import { MessageChannel } from 'node:worker_threads';
import { BufferPool } from '../lib/io/buffer-pool';

test('a written buffer is handed out again, from this thread or from another', () => {
  const fromElsewhere: SharedArrayBuffer[] = [];
  const pool = new BufferPool(1024, () => fromElsewhere.shift());
  const first = pool.take();
  expect(first.length).toBe(1024);
  expect(pool.take().buffer).not.toBe(first.buffer);
  pool.give(first.subarray(0, 10).buffer);
  expect(pool.take().buffer).toBe(first.buffer);

  const other = new SharedArrayBuffer(1024);
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

test('a buffer posted to another port is shared, not moved: the sender keeps it and sees what the receiver writes', async () => {
  const pool = new BufferPool(1024);
  const mine = pool.take();
  mine.write('row,one\r\n');
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<Uint8Array>((resolve) => port2.once('message', resolve));
  port1.postMessage(mine.subarray(0, 9));
  const theirs = await received;
  port1.close();
  expect(mine.length).toBe(1024);
  expect(Buffer.from(theirs).toString()).toBe('row,one\r\n');
  theirs[0] = 0x52;
  expect(mine.toString('utf8', 0, 9)).toBe('Row,one\r\n');
});
