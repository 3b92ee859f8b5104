/**
 * Every reconciliation row, classified and written, on both cores: this thread and the thread
 * that read the on-prem file (side-worker.ts) each take the next on-prem block nobody has taken (an atomic counter in shared
 * memory), so the faster thread does more and neither waits for the other until the last block;
 * the blocks are written in order, then the cloud rows nobody joined. With one thread, or with
 * --okta (Okta's columns keep a tally in this thread), this thread takes every block. The files
 * are the same either way.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { Classifier, type ClassifyOptions, type Indexes, type Takeover } from '../core/classify';
import { type CloudTable, type OnpremTable, i32, u8 } from '../core/tables';
import { BufferPool } from '../io/buffer-pool';
import type { ByteCsvWriter, CsvWriter } from '../io/csv-writer';
import { AttentionSample } from './attention';
import { type Block, type BlockSettings, BlockWriter, CHUNK_BYTES } from './blocks';
import type { OktaView } from './okta';
import type { CounterState, SummaryCounter } from './report';

/** On-prem rows per block: a few MB of output, so blocks finished out of order wait in memory only briefly. */
export const BLOCK_ROWS = 1 << 14;

/** What the worker is given: the tables and indexes are in shared memory, so nothing is copied. */
export interface RowsJob {
  on: OnpremTable;
  cl: CloudTable;
  indexes: Indexes;
  opts: ClassifyOptions;
  settings: BlockSettings;
  joined: Uint8Array;
  /** [0]: the next block to take. */
  claim: Int32Array;
  blocks: number;
}

/** What the worker is sent: its job, and the port its written buffers come back on. */
export interface RowsWorkerData {
  job: RowsJob;
  returns: MessagePort;
}

export type RowsMessage =
  | { type: 'block'; block: Block }
  | { type: 'done'; counter: CounterState; gated: number; takeovers: Takeover[] }
  | { type: 'crash'; message: string };

/** Blocks of `job` this thread takes until none is left; `done` gets each one. */
export function takeBlocks(job: RowsJob, writer: BlockWriter, done: (b: Block) => void | Promise<void>): void | Promise<void> {
  const next = (): void | Promise<void> => {
    const k = Atomics.add(job.claim, 0, 1);
    if (k >= job.blocks) return;
    const from = k * BLOCK_ROWS;
    const wrote = done(writer.onpremBlock(k, from, Math.min(from + BLOCK_ROWS, job.on.count)));
    return wrote instanceof Promise ? wrote.then(next) : next();
  };
  return next();
}

export interface Written {
  counter: SummaryCounter;
  gated: number;
  sample?: AttentionSample;
}

export async function writeAllRows(
  out: { reconciliation: ByteCsvWriter; rejects: CsvWriter },
  tables: { on: OnpremTable; cl: CloudTable; indexes: Indexes },
  opts: ClassifyOptions,
  settings: BlockSettings,
  /** The worker thread to share the rows with (LoadedBoth.thread), if any; it is terminated at the end. */
  thread: Worker | undefined,
  okta: OktaView | undefined,
): Promise<Written> {
  const { on, cl, indexes } = tables;
  const job: RowsJob = { on, cl, indexes, opts, settings, joined: u8(cl.count), claim: i32(1), blocks: Math.ceil(on.count / BLOCK_ROWS) };
  const pool = new BufferPool(CHUNK_BYTES);
  const mine = new BlockWriter(new Classifier(on, cl, opts, indexes, job.joined), on, cl, settings, pool, okta);
  const sample = settings.perGroup > 0 ? new AttentionSample(settings.perGroup) : undefined;

  /** Blocks finished but not yet written, by index; `next` is the one the file waits for. */
  const ready = new Map<number, Block>();
  /** Blocks the helper formatted: their buffers go back to it once written. */
  const theirs = new Set<number>();
  let next = 0;
  const write = async (): Promise<void> => {
    for (let b = ready.get(next); b; b = ready.get(next)) {
      ready.delete(next++);
      const reuse = theirs.delete(b.index) ? helper!.giveBack : (buffer: ArrayBufferLike) => pool.give(buffer);
      for (const chunk of b.chunks) {
        out.reconciliation.rowsFrom(chunk, () => reuse(chunk.buffer));
        if (out.reconciliation.backlog) await out.reconciliation.drain();
      }
      for (const r of b.rejects) await out.rejects.row(r);
      if (sample) for (const [status, reason, text] of b.sample) if (sample.takes(status, reason)) sample.add(text);
    }
  };

  const helper = thread && !okta && job.blocks > 1 ? startHelper(thread, job, ready, theirs) : undefined;
  try {
    await takeBlocks(job, mine, async (b) => {
      ready.set(b.index, b);
      await write();
      // Lets the helper's finished blocks in, so this thread's wait in memory only until theirs arrive.
      if (helper) await new Promise((resolve) => setImmediate(resolve));
    });
    if (helper) {
      const theirs = await helper.finished(write, () => ready.has(next));
      mine.counter.merge(theirs.counter);
      mine.gated += theirs.gated;
      mine.classifier.adopt(theirs.takeovers);
    }
    await write();
    if (next !== job.blocks) throw new Error(`${job.blocks - next} blocks of reconciliation rows were never written`);
    ready.set(next, mine.cloudBlock(next));
    await write();
  } finally {
    await thread?.terminate();
    helper?.close();
  }
  if (sample) {
    const s = mine.counter.state();
    sample.total = s.outputRows - s.status.match;
  }
  return { counter: mine.counter, gated: mine.gated, sample };
}

/** The worker thread taking blocks beside this one; its blocks go into `ready`. */
function startHelper(worker: Worker, job: RowsJob, ready: Map<number, Block>, theirs: Set<number>) {
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ job, returns: port2 } satisfies RowsWorkerData, [port2]);
  // Working now: it keeps the process alive until it is done.
  worker.ref();
  let done: Extract<RowsMessage, { type: 'done' }> | undefined;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const stir = (): void => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: RowsMessage) => {
    if (m.type === 'block') {
      ready.set(m.block.index, m.block);
      theirs.add(m.block.index);
    }
    else if (m.type === 'done') done = m;
    else failure = new Error(m.message);
    stir();
  });
  worker.on('error', (err) => {
    failure = err;
    stir();
  });
  worker.on('exit', (code) => {
    if (!done) failure ??= new Error(`the thread classifying reconciliation rows stopped (exit ${code})`);
    stir();
  });
  return {
    /** Writes the helper's blocks as they come, until it says it is done. */
    async finished(write: () => Promise<void>, more: () => boolean): Promise<Extract<RowsMessage, { type: 'done' }>> {
      for (;;) {
        await write();
        if (done) return done;
        if (failure) throw failure;
        if (!more()) await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    /** A buffer of the helper's, written: back to it (transferred) to be filled again. */
    giveBack: (buffer: ArrayBufferLike): void => port1.postMessage(buffer, [buffer as ArrayBuffer]),
    close: () => port1.close(),
  };
}
