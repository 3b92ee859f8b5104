/**
 * A worker thread that reads one export into its table and builds the table's join indexes, so
 * the two exports are read on two cores at once. The table goes back to the main thread without
 * a copy (its typed arrays are transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IdreconError } from '../errors';
import { type LoadRequest, type WorkerMessage, loadSide, transferables } from './load';

async function main(): Promise<void> {
  const port = parentPort!;
  try {
    const side = await loadSide(workerData as LoadRequest, (file, rows) => port.postMessage({ type: 'rows', file, rows } satisfies WorkerMessage));
    port.postMessage({ type: 'done', side } satisfies WorkerMessage, transferables(side));
  } catch (err) {
    const message: WorkerMessage =
      err instanceof IdreconError
        ? { type: 'error', code: err.code, message: err.message, context: err.context }
        : { type: 'crash', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    port.postMessage(message);
  }
}

void main();
