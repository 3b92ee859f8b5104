/**
 * A worker thread that reads one export into its table and builds the table's join indexes, so
 * the two exports are read on two cores at once. The table goes back to the main thread without
 * a copy (its typed arrays are in shared memory).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IdreconError } from '../errors';
import { type LoadRequest, type WorkerMessage, loadSide } from './load';

async function main(): Promise<void> {
  const port = parentPort!;
  try {
    const side = await loadSide(workerData as LoadRequest, (file, rows) => port.postMessage({ type: 'rows', file, rows } satisfies WorkerMessage));
    // The table's columns are in shared memory: posting the side shares them, nothing is copied.
    port.postMessage({ type: 'done', side } satisfies WorkerMessage);
  } catch (err) {
    const message: WorkerMessage =
      err instanceof IdreconError
        ? { type: 'error', code: err.code, message: err.message, context: err.context }
        : { type: 'crash', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    port.postMessage(message);
  }
}

void main();
