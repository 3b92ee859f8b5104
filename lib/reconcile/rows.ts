/**
 * Every reconciliation row, classified and written, on both cores: this thread and the thread
 * that read the on-prem file (side-worker.ts) each take the next block nobody has taken (an
 * atomic counter in shared memory), so the faster thread does more and neither waits for the
 * other but at the end of a phase. First the on-prem rows; then, once each thread has the cloud
 * users the other's rows take over, the cloud rows nobody joined. The blocks are written in
 * order. With one thread, or with --okta (Okta's columns keep a tally in this thread), this
 * thread takes every block. The files are the same either way.
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
/** Cloud rows per block: most were joined, so about one in twenty is written. */
export const CLOUD_BLOCK_ROWS = 1 << 16;

/** The two phases: the on-prem rows, then the cloud rows nobody joined. */
export const enum Phase {
  Onprem = 0,
  Cloud = 1,
}

/** What the worker is given: the tables and indexes are in shared memory, so nothing is copied. */
export interface RowsJob {
  on: OnpremTable;
  cl: CloudTable;
  indexes: Indexes;
  opts: ClassifyOptions;
  settings: BlockSettings;
  joined: Uint8Array;
  /** The next block to take, per phase. */
  claim: Int32Array;
  /** Blocks per phase; a cloud block's index follows the on-prem ones. */
  blocks: [number, number];
}

/** What the worker is sent: its job, and the port its written buffers come back on. */
export interface RowsWorkerData {
  job: RowsJob;
  returns: MessagePort;
}

/** The worker's messages: its blocks, its takeovers once its on-prem blocks are done, its counts at the end. */
export type RowsMessage =
  | { type: 'block'; block: Block }
  | { type: 'onprem-done'; takeovers: Takeover[] }
  | { type: 'done'; counter: CounterState; gated: number }
  | { type: 'crash'; message: string };

/** Blocks of `phase` this thread takes until none is left; `done` gets each one. */
export function takeBlocks(job: RowsJob, writer: BlockWriter, phase: Phase, done: (b: Block) => void | Promise<void>): void | Promise<void> {
  const next = (): void | Promise<void> => {
    const k = Atomics.add(job.claim, phase, 1);
    if (k >= job.blocks[phase]) return;
    const wrote = done(phase === Phase.Onprem ? onpremBlock(job, writer, k) : cloudBlock(job, writer, k));
    return wrote instanceof Promise ? wrote.then(next) : next();
  };
  return next();
}

function onpremBlock(job: RowsJob, writer: BlockWriter, k: number): Block {
  const from = k * BLOCK_ROWS;
  return writer.onpremBlock(k, from, Math.min(from + BLOCK_ROWS, job.on.count));
}

function cloudBlock(job: RowsJob, writer: BlockWriter, k: number): Block {
  const from = k * CLOUD_BLOCK_ROWS;
  return writer.cloudBlock(job.blocks[Phase.Onprem] + k, from, Math.min(from + CLOUD_BLOCK_ROWS, job.cl.count));
}

export interface Written {
  counter: SummaryCounter;
  gated: number;
  sample?: AttentionSample;
}

/** Classifies every row and writes reconciliation.csv and rejects.csv; the counts, the rows --fail-on names, and report.html's sample. */
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
  const blocks: [number, number] = [Math.ceil(on.count / BLOCK_ROWS), Math.ceil(cl.count / CLOUD_BLOCK_ROWS)];
  const job: RowsJob = { on, cl, indexes, opts, settings, joined: u8(cl.count), claim: i32(2), blocks };
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
  const mineDone = async (b: Block): Promise<void> => {
    ready.set(b.index, b);
    await write();
    // Lets the helper's finished blocks in, so this thread's blocks wait in memory only until theirs arrive.
    if (helper) await new Promise((resolve) => setImmediate(resolve));
  };

  const helper = thread && !okta && blocks[Phase.Onprem] > 1 ? startHelper(thread, job, ready, theirs) : undefined;
  try {
    await takeBlocks(job, mine, Phase.Onprem, mineDone);
    if (helper) {
      // Each side's takeovers to the other: then both have them all, and every row has its join.
      helper.send(mine.classifier.takeovers());
      mine.classifier.adopt((await helper.until('onprem-done', write, () => ready.has(next))).takeovers);
    }
    await takeBlocks(job, mine, Phase.Cloud, mineDone);
    if (helper) {
      const done = await helper.until('done', write, () => ready.has(next));
      mine.counter.merge(done.counter);
      mine.gated += done.gated;
    }
    await write();
    const total = blocks[0] + blocks[1];
    if (next !== total) throw new Error(`${total - next} blocks of reconciliation rows were never written`);
  } finally {
    await thread?.terminate();
    helper?.close();
  }
  if (sample) sample.total = mine.counter.attention();
  return { counter: mine.counter, gated: mine.gated, sample };
}

/** The worker thread taking blocks beside this one; its blocks go into `ready`. */
function startHelper(worker: Worker, job: RowsJob, ready: Map<number, Block>, theirs: Set<number>) {
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ job, returns: port2 } satisfies RowsWorkerData, [port2]);
  // Working now: it keeps the process alive until it is done.
  worker.ref();
  const said: { 'onprem-done'?: Extract<RowsMessage, { type: 'onprem-done' }>; done?: Extract<RowsMessage, { type: 'done' }> } = {};
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
    } else if (m.type === 'crash') failure = new Error(m.message);
    else if (m.type === 'onprem-done') said['onprem-done'] = m;
    else said.done = m;
    stir();
  });
  worker.on('error', (err) => {
    failure = err;
    stir();
  });
  worker.on('exit', (code) => {
    if (!said.done) failure ??= new Error(`the thread classifying reconciliation rows stopped (exit ${code})`);
    stir();
  });
  return {
    /** This thread's takeovers, for the helper's cloud rows. */
    send: (takeovers: Takeover[]): void => worker.postMessage({ takeovers }),
    /** Writes the helper's blocks as they come, until it says `what`. */
    async until<T extends 'onprem-done' | 'done'>(what: T, write: () => Promise<void>, more: () => boolean): Promise<NonNullable<(typeof said)[T]>> {
      for (;;) {
        await write();
        const m = said[what];
        if (m) return m;
        if (failure) throw failure;
        if (!more()) await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    /** A buffer of the helper's pool, written: back to it (shared memory, so not copied) to be filled again; a long row's own buffer is left to the collector. */
    giveBack: (buffer: ArrayBufferLike): void => {
      if (buffer instanceof SharedArrayBuffer) port1.postMessage(buffer);
    },
    close: () => port1.close(),
  };
}
