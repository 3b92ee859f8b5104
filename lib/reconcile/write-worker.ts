/**
 * A worker thread that formats some blocks of reconciliation rows (see writeRows in write.ts)
 * while the main thread formats the others: each full buffer goes back (transferred, not copied)
 * and the main thread writes the blocks in order. Tables and verdicts are in shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CsvBytes } from '../io/csv-writer';
import { Arena, CloudTable, OnpremTable } from '../core/tables';
import { writeReconciliationRow } from '../formats/reconciliation';
import { Verdicts, blankRow } from './verdicts';
import type { WriteJob, WriterMessage } from './write';

const job = workerData as WriteJob;
Object.setPrototypeOf(job.on, OnpremTable.prototype);
Object.setPrototypeOf(job.on.arena, Arena.prototype);
Object.setPrototypeOf(job.cl, CloudTable.prototype);
Object.setPrototypeOf(job.cl.arena, Arena.prototype);
Object.setPrototypeOf(job.verdicts, Verdicts.prototype);
const port = parentPort!;
const out = new CsvBytes((chunk) => port.postMessage({ type: 'chunk', chunk } satisfies WriterMessage, [chunk.buffer as ArrayBuffer]));
const row = blankRow();
for (let block = 1; block * job.blockRows < job.verdicts.count; block += 2) {
  const end = Math.min((block + 1) * job.blockRows, job.verdicts.count);
  for (let i = block * job.blockRows; i < end; i++) {
    writeReconciliationRow(out, job.verdicts.row(i, row), job.on, job.cl);
    out.endRow();
  }
  out.flush();
  port.postMessage({ type: 'block', block } satisfies WriterMessage);
}
