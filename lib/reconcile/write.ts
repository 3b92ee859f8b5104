/**
 * Writes reconciliation.csv from the verdicts, on two threads when there are two: the rows are
 * cut into blocks, this thread formats the even ones and a worker (write-worker.ts) the odd ones,
 * and the blocks go into the file in order, so the bytes are those one thread would write.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CloudTable, OnpremTable } from '../core/tables';
import { type ByteCsvWriter, CsvBytes } from '../io/csv-writer';
import type { OktaView } from './okta';
import { writeReconciliationRow } from '../formats/reconciliation';
import { type Verdicts, blankRow } from './verdicts';

export interface WriteJob {
  on: OnpremTable;
  cl: CloudTable;
  verdicts: Verdicts;
  blockRows: number;
}

export type WriterMessage = { type: 'chunk'; chunk: Uint8Array } | { type: 'block'; block: number };

/** Rows per block: small enough that a finished block waits in memory only briefly (about 3 MB). */
const BLOCK_ROWS = 1 << 14;

/** Rows `indices` as they are written (CRLF included), formatted again for report.html's sample. */
export function rowsAgain(indices: readonly number[], verdicts: Verdicts, on: OnpremTable, cl: CloudTable, okta: OktaView | undefined): Buffer[] {
  const spilled: Buffer[] = [];
  const out = new CsvBytes((chunk) => spilled.push(Buffer.from(chunk)), 64 << 10);
  const row = blankRow();
  return indices.map((i) => {
    writeReconciliationRow(out, verdicts.row(i, row), on, cl);
    if (okta) okta.write(out, row, on, cl, false);
    out.endRow();
    return Buffer.concat([...spilled.splice(0), out.take()]);
  });
}

export async function writeRows(w: ByteCsvWriter, verdicts: Verdicts, on: OnpremTable, cl: CloudTable, threads: number, okta: OktaView | undefined): Promise<void> {
  const row = blankRow();
  const format = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) {
      verdicts.row(i, row);
      writeReconciliationRow(w.rows, row, on, cl);
      if (okta) okta.write(w.rows, row, on, cl);
      w.rows.endRow();
      if (w.backlog) await w.drain();
    }
  };
  // Okta's columns keep a tally as they are written, so with --okta one thread writes every row.
  if (threads < 2 || okta || verdicts.count <= BLOCK_ROWS) return format(0, verdicts.count);

  const worker = new Worker(join(__dirname, 'write-worker.js'), { workerData: { on, cl, verdicts, blockRows: BLOCK_ROWS } satisfies WriteJob });
  /** The worker's blocks as they arrive: chunks of the block being formatted, then `done` per block. */
  let chunks: Uint8Array[] = [];
  const done = new Map<number, Uint8Array[]>();
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const stir = (): void => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: WriterMessage) => {
    if (m.type === 'chunk') chunks.push(m.chunk);
    else {
      done.set(m.block, chunks);
      chunks = [];
    }
    stir();
  });
  worker.on('error', (err) => {
    failure = err;
    stir();
  });
  worker.on('exit', (code) => {
    failure ??= code === 0 ? undefined : new Error(`the thread writing reconciliation rows stopped (exit ${code})`);
    stir();
  });
  try {
    for (let block = 0; block * BLOCK_ROWS < verdicts.count; block++) {
      const from = block * BLOCK_ROWS;
      if (block % 2 === 0) {
        await format(from, Math.min(from + BLOCK_ROWS, verdicts.count));
        continue;
      }
      while (!done.has(block)) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      for (const chunk of done.get(block)!) {
        w.rows.append(chunk as Buffer);
        if (w.backlog) await w.drain();
      }
      done.delete(block);
    }
  } finally {
    await worker.terminate();
  }
}
