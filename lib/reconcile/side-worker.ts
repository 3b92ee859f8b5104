/**
 * The second thread of a reconcile: it reads the on-prem export into its table and builds the
 * table's join indexes while the main thread reads the cloud export, so the two files are read
 * on two cores at once; the table goes to the main thread without a copy (its typed arrays are in
 * shared memory). Then, when asked (rows.ts), the same thread takes blocks of reconciliation
 * rows beside the main thread: each block classified and formatted here, its buffers handed
 * over (shared memory, not copied). At the end it sends its counts and the cloud users its rows
 * take over, for the main thread's cloud rows.
 */
import { type MessagePort, parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { Classifier, type Takeover } from '../core/classify';
import { IdreconError } from '../errors';
import { BufferPool } from '../io/buffer-pool';
import { type Block, BlockWriter, CHUNK_BYTES } from './blocks';
import { type LoadRequest, type WorkerMessage, loadSide, reviveTables } from './load';
import { Phase, type RowsMessage, type RowsWorkerData, takeBlocks } from './rows';

async function main(port: MessagePort, req: LoadRequest): Promise<void> {
  try {
    const side = await loadSide(req, (file, rows) => port.postMessage({ type: 'rows', file, rows } satisfies WorkerMessage));
    port.postMessage({ type: 'done', side } satisfies WorkerMessage);
  } catch (err) {
    port.postMessage((err instanceof IdreconError ? { type: 'error', code: err.code, message: err.message, context: err.context } : crash(err)) satisfies WorkerMessage);
    return;
  }
  port.once('message', (data: RowsWorkerData) => takeRows(port, data));
}

function takeRows(port: MessagePort, { job, returns }: RowsWorkerData): void {
  crashReported(port, () => {
    reviveTables(job.on, job.cl, job.indexes);
    // The main thread sends each buffer back once its bytes are in the file.
    const pool = new BufferPool(CHUNK_BYTES, () => receiveMessageOnPort(returns)?.message as SharedArrayBuffer | undefined);
    const writer = new BlockWriter(new Classifier(job.on, job.cl, job.opts, job.indexes, job.joined), job.on, job.cl, job.settings, pool);
    const post = (block: Block) => port.postMessage({ type: 'block', block } satisfies RowsMessage);
    void takeBlocks(job, writer, Phase.Onprem, post);
    port.postMessage({ type: 'onprem-done', takeovers: writer.classifier.takeovers() } satisfies RowsMessage);
    // The cloud rows wait for the main thread's takeovers: then this thread has them all.
    port.once('message', ({ takeovers }: { takeovers: Takeover[] }) =>
      crashReported(port, () => {
        writer.classifier.adopt(takeovers);
        void takeBlocks(job, writer, Phase.Cloud, post);
        port.postMessage({ type: 'done', counter: writer.counter.state(), gated: writer.gated } satisfies RowsMessage);
      }),
    );
  });
}

function crashReported(port: MessagePort, work: () => void): void {
  try {
    work();
  } catch (err) {
    port.postMessage(crash(err) satisfies RowsMessage);
  }
}

/** A bug in this thread, for the main thread to report as one (exit 1, the stack with IDRECON_DEBUG). */
const crash = (err: unknown) => ({ type: 'crash' as const, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });

// Started before it is needed (side-thread.ts): the file to read is the first message.
parentPort!.once('message', (req: LoadRequest) => void main(parentPort!, req));
