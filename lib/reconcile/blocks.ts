/**
 * Classifying and formatting reconciliation rows a block at a time, so that two threads can share
 * the work: each takes the next on-prem block nobody has taken, classifies its rows and formats
 * them into buffers of its own, and the main thread writes the blocks in order (rows.ts). A
 * block carries all a row leaves behind (its bytes, its rejects, its counts, the rows the report
 * may show), so the files are those one thread would write.
 */
import { type Classifier, type ReconRow, type Status, blankRow } from '../core/classify';
import { type CloudTable, ObjectId, type OnpremTable } from '../core/tables';
import { writeReconciliationRow } from '../formats/reconciliation';
import { rejectFields } from '../formats/rejects';
import type { BufferPool } from '../io/buffer-pool';
import { CsvBytes } from '../io/csv-writer';
import { AttentionSample } from './attention';
import type { OktaView } from './okta';
import { SummaryCounter } from './report';

/** One block's output, in row order. */
export interface Block {
  index: number;
  /** The rows as written to reconciliation.csv. */
  chunks: Uint8Array[];
  rejects: string[][];
  /** Rows the report may embed (the first of each status/reason in this block): status, reason, the row's text. */
  sample: [string, string, string][];
}

export interface BlockSettings {
  onpremFile: string;
  cloudFile: string;
  failOn: readonly Status[];
  /** Rows of one status/reason report.html embeds; 0 without a report. */
  perGroup: number;
}

/** On-prem rows looked up and read together (BlockWriter.warm): their cloud cells, about 12 cache lines each, stay in the cache until written. */
const BATCH = 256;

/** Buffers of 1 MB: a block of 16,384 rows fills three or four. */
export const CHUNK_BYTES = 1 << 20;

/** Classifies and formats blocks on one thread, keeping that thread's counts. */
export class BlockWriter {
  readonly counter = new SummaryCounter();
  /** Rows whose status is named in --fail-on. */
  gated = 0;
  private readonly failOn: ReadonlySet<Status>;
  /** A row this thread's earlier blocks hold enough of cannot be among the report's first, so it is not offered. */
  private readonly offered: AttentionSample;
  private readonly row = blankRow();
  private readonly partners = new Int32Array(BATCH);
  /** What warm() read, summed (see there). */
  warmth = 0;
  /** The chunks of the block being formatted. */
  private chunks: Uint8Array[] = [];
  private readonly out: CsvBytes;

  /** `pool`: where the buffers come from, CHUNK_BYTES each. */
  constructor(
    readonly classifier: Classifier,
    private readonly on: OnpremTable,
    private readonly cl: CloudTable,
    private readonly settings: BlockSettings,
    pool: BufferPool,
    private readonly okta?: OktaView,
  ) {
    this.failOn = new Set(settings.failOn);
    this.offered = new AttentionSample(settings.perGroup);
    this.out = new CsvBytes((chunk) => this.chunks.push(chunk), CHUNK_BYTES, pool.take);
  }

  /** On-prem rows [from, to), BATCH at a time: their cloud partners looked up and their cloud cells read together, then each row classified and written. */
  onpremBlock(index: number, from: number, to: number): Block {
    const block = this.start(index);
    const partners = this.partners;
    for (let at = from; at < to; at += BATCH) {
      const end = Math.min(at + BATCH, to);
      this.classifier.partners(at, end, partners);
      this.warm(end - at);
      for (let o = at; o < end; o++) this.add(block, this.classifier.onpremRow(o, this.row, partners[o - at]));
    }
    return this.end(block);
  }

  /**
   * Reads the cloud cells that classifying and writing the batch's rows will read, in one loop
   * whose reads do not wait for one another: the partners lie all over the cloud table, and read
   * one row at a time each cell was a cache miss of its own, in turn. Then they are in the cache.
   */
  private warm(n: number): void {
    const { cl, partners } = this;
    const b = cl.arena.bytes;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const c = partners[i];
      if (c >= 0) sum ^= cl.idKind[c] + cl.ids[c * 16] + cl.sync[c] + cl.upnAt[c] + cl.upnLen[c] + cl.objectIdKind[c] + cl.objectIds[c * 16] + cl.line[c];
    }
    for (let i = 0; i < n; i++) {
      const c = partners[i];
      if (c >= 0) sum ^= b[cl.upnAt[c]] + (cl.objectIdKind[c] === ObjectId.Bytes ? 0 : b[cl.objectIdTextAt(c)]);
    }
    // Kept, so the reads are not left out as unused.
    this.warmth = sum;
  }

  /** Cloud rows [from, to) nobody joined: once every on-prem block is done and the other thread's takeovers are adopted. */
  cloudBlock(index: number, from: number, to: number): Block {
    const block = this.start(index);
    const joined = this.classifier.joined;
    for (let c = from; c < to; c++) if (!joined[c]) this.add(block, this.classifier.cloudRow(c, this.row));
    return this.end(block);
  }

  private start(index: number): Block {
    this.chunks = [];
    return { index, chunks: this.chunks, rejects: [], sample: [] };
  }

  private end(block: Block): Block {
    this.out.flush();
    return block;
  }

  private add(block: Block, r: ReconRow): void {
    const { on, cl, okta, out } = this;
    const start = out.pos;
    const spilled = block.chunks.length;
    writeReconciliationRow(out, r, on, cl);
    okta?.write(out, r, on, cl);
    out.endRow();
    const onReject = r.onprem >= 0 && on.invalid.size > 0 ? rejectFields(this.settings.onpremFile, on, r.onprem) : undefined;
    const clReject = r.cloud >= 0 && cl.invalid.size > 0 ? rejectFields(this.settings.cloudFile, cl, r.cloud) : undefined;
    if (onReject) block.rejects.push(onReject);
    if (clReject) block.rejects.push(clReject);
    this.counter.add(r, Number(onReject !== undefined) + Number(clReject !== undefined));
    if (this.failOn.has(r.status)) this.gated++;
    if (this.offered.takes(r.status, r.reason)) block.sample.push([r.status, r.reason, rowText(block.chunks, spilled, start, out)]);
  }
}

/** The row just written: from `start` of the buffer that was current when it began, to the end of what is buffered now. */
function rowText(chunks: readonly Uint8Array[], spilled: number, start: number, out: CsvBytes): string {
  const now = out.room(0);
  if (chunks.length === spilled) return now.toString('utf8', start, out.pos);
  const parts = [chunks[spilled].subarray(start), ...chunks.slice(spilled + 1), now.subarray(0, out.pos)];
  return Buffer.concat(parts).toString('utf8');
}
