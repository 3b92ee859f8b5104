/**
 * A worker thread taking blocks of reconciliation rows beside the main thread (rows.ts): each
 * block classified and formatted here, its buffers handed back (transferred, not copied). At the
 * end it sends its counts and the cloud users its rows take over, for the main thread's cloud rows.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Classifier } from '../core/classify';
import { BufferPool } from '../io/buffer-pool';
import { BlockWriter, CHUNK_BYTES } from './blocks';
import { reviveTables } from './load';
import { type RowsMessage, type RowsWorkerData, takeBlocks } from './rows';

const { job, returns } = workerData as RowsWorkerData;
const port = parentPort!;
try {
  reviveTables(job.on, job.cl, job.indexes);
  // The main thread sends each buffer back once its bytes are in the file.
  const pool = new BufferPool(CHUNK_BYTES, () => receiveMessageOnPort(returns)?.message as ArrayBuffer | undefined);
  const writer = new BlockWriter(new Classifier(job.on, job.cl, job.opts, job.indexes, job.joined), job.on, job.cl, job.settings, pool);
  void takeBlocks(job, writer, (block) =>
    port.postMessage({ type: 'block', block } satisfies RowsMessage, block.chunks.map((c) => c.buffer as ArrayBuffer)),
  );
  port.postMessage({ type: 'done', counter: writer.counter.state(), gated: writer.gated, takeovers: writer.classifier.takeovers() } satisfies RowsMessage);
} catch (err) {
  port.postMessage({ type: 'crash', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies RowsMessage);
}
