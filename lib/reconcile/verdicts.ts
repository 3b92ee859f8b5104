/**
 * Every row's verdict as classify gave it, in shared typed arrays, so the rows can be written on
 * two threads at once: four small numbers naming its texts (status, reason, outcome, outcome
 * reason) and the five table rows it refers to. 24 bytes a row, no object per row.
 */
import type { EntraConnect, EntraConnectReason, Reason, ReconRow, Status } from '../core/classify';
import { i32, u8 } from '../core/tables';

export class Verdicts {
  count = 0;
  /** The texts the rows name, by number; at most 256 (there are about 50). */
  readonly texts: string[] = [];
  private readonly textIds = new Map<string, number>();
  readonly names: Uint8Array;
  readonly rows: Int32Array;

  constructor(capacity: number) {
    this.names = u8(capacity * 4);
    this.rows = i32(capacity * 5);
  }

  add(r: ReconRow): void {
    const i = this.count++;
    const n = this.names;
    n[i * 4] = this.textId(r.status);
    n[i * 4 + 1] = this.textId(r.reason);
    n[i * 4 + 2] = this.textId(r.entraConnect);
    n[i * 4 + 3] = this.textId(r.entraConnectReason);
    const rows = this.rows;
    rows[i * 5] = r.onprem;
    rows[i * 5 + 1] = r.cloud;
    rows[i * 5 + 2] = r.relatedOnprem;
    rows[i * 5 + 3] = r.relatedCloud;
    rows[i * 5 + 4] = r.match;
  }

  /** Row `i` as classify gave it, filled into `into`. */
  row(i: number, into: ReconRow): ReconRow {
    const n = this.names;
    const t = this.texts;
    into.status = t[n[i * 4]] as Status;
    into.reason = t[n[i * 4 + 1]] as Reason;
    into.entraConnect = t[n[i * 4 + 2]] as EntraConnect;
    into.entraConnectReason = t[n[i * 4 + 3]] as EntraConnectReason;
    const rows = this.rows;
    into.onprem = rows[i * 5];
    into.cloud = rows[i * 5 + 1];
    into.relatedOnprem = rows[i * 5 + 2];
    into.relatedCloud = rows[i * 5 + 3];
    into.match = rows[i * 5 + 4];
    return into;
  }

  private textId(text: string): number {
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = this.texts.length;
      if (id > 0xff) throw new Error('more than 256 distinct statuses, reasons and outcomes');
      this.texts.push(text);
      this.textIds.set(text, id);
    }
    return id;
  }
}

/** A row object to fill with Verdicts.row. */
export const blankRow = (): ReconRow => ({
  status: 'match',
  reason: '',
  entraConnect: 'unknown',
  entraConnectReason: '',
  onprem: -1,
  cloud: -1,
  relatedOnprem: -1,
  relatedCloud: -1,
  match: -1,
});
