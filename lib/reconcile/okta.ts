/**
 * Okta's view of every reconciliation row (reconcile --okta): the Okta user with the row's UPN and
 * the ImmutableID Okta pushes for it, compared with the value the row should carry. The Okta file
 * is held as columns (its text in one arena, a key index on the lower-cased user name), so the
 * million-row loop only looks up bytes and copies them out; no object per row.
 */
import { unguardCell } from '../core/cell-guard';
import { foldUpn } from '../core/upn';
import { readImmutableId } from '../core/guid';
import { type CloudTable, Arena, IdKind, KeyIndex, type OnpremTable, hashBytes, sameBytes } from '../core/tables';
import type { ReconRow } from '../core/classify';
import type { CsvBytes } from '../io/csv-writer';
import { IdreconError } from '../errors';
import { type ColumnIndexes, resolveColumns } from '../io/columns';
import { scanCsv } from '../io/csv-reader';
import { OKTA_CHECKS, type OktaSummary } from '../formats/summary';
import { OKTA_INPUT_COLUMNS, type OktaAppUser, type OktaInputField, addAppUser } from '../formats/okta-users';


const CHECK_BYTES = OKTA_CHECKS.map((c) => Buffer.from(c, 'latin1'));

export class OktaView {
  private readonly arena = new Arena();
  private count = 0;
  private rows = 0;
  private keyAt = new Int32Array(1024);
  private keyLen = new Int32Array(1024);
  private keyHash = new Int32Array(1024);
  private userIdAt = new Int32Array(1024);
  private userIdLen = new Int32Array(1024);
  private idAt = new Int32Array(1024);
  private idLen = new Int32Array(1024);
  /** IdKind of profile.immutableId; its 16 bytes at row * 16 when it is a GUID's Base64. */
  private idKind = new Uint8Array(1024);
  private ids = new Uint8Array(1024 * 16);
  private index!: KeyIndex;
  private withoutUserName = 0;
  private knowsImmutableId = false;
  private seen = new Uint8Array(0);
  private readonly checks = new Float64Array(OKTA_CHECKS.length);

  private constructor(readonly file: string) {}

  /** The first row of each user name counts: later rows of the same name are other app instances. */
  static async load(file: string): Promise<OktaView> {
    const v = new OktaView(file);
    let at: ColumnIndexes<OktaInputField> | undefined;
    // Only the three cells reconcile needs become text; the file's other columns are never decoded.
    await scanCsv(file, { encoding: 'auto', delimiter: 'auto' }, (r) => {
      if (!at) {
        at = resolveColumns(r.fields().map((f) => f.trim()), OKTA_INPUT_COLUMNS, {}, { file, line: r.line });
        v.knowsImmutableId = at.immutableId !== undefined;
        return;
      }
      // The formula guard of every idrecon CSV undone (lib/core/cell-guard.ts): an ImmutableID may start with +.
      const cell = (i: number | undefined) => (i === undefined ? '' : unguardCell(r.text(i).trim()));
      v.add(cell(at.userName), cell(at.userId), cell(at.immutableId));
    });
    if (!at) throw new IdreconError('INPUT_EMPTY', 'the file has no header line; expected the Okta CSV of idrecon export okta', { file });
    v.index = new KeyIndex(v.count, v.arena.bytes, v.keyAt, v.keyLen, v.keyHash);
    for (let i = 0; i < v.count; i++) {
      if (v.keyLen[i] > 0) v.index.add(i);
      else v.withoutUserName++;
    }
    v.seen = new Uint8Array(v.count);
    return v;
  }

  private add(userName: string, userId: string, immutableId: string): void {
    this.rows++;
    if (this.count === this.keyAt.length) this.grow();
    const i = this.count++;
    // Folded as the exports' join keys are (lib/core/upn.ts), so the bytes compare equal.
    const key = this.arena.put(foldUpn(userName));
    const a = this.arena;
    this.keyAt[i] = key.at;
    this.keyLen[i] = key.len;
    this.keyHash[i] = hashBytes(a.bytes, key.at, key.len);
    const user = a.put(userId);
    this.userIdAt[i] = user.at;
    this.userIdLen[i] = user.len;
    const id = a.put(immutableId);
    this.idAt[i] = id.at;
    this.idLen[i] = id.len;
    this.idKind[i] = id.len === 0 ? IdKind.Empty : id.len === 24 && readImmutableId(a.bytes, id.at, this.ids, i * 16) ? IdKind.Guid : IdKind.Other;
  }

  private grow(): void {
    const n = this.keyAt.length * 2;
    const int = (x: Int32Array) => {
      const y = new Int32Array(n);
      y.set(x);
      return y;
    };
    this.keyAt = int(this.keyAt);
    this.keyLen = int(this.keyLen);
    this.keyHash = int(this.keyHash);
    this.userIdAt = int(this.userIdAt);
    this.userIdLen = int(this.userIdLen);
    this.idAt = int(this.idAt);
    this.idLen = int(this.idLen);
    const kind = new Uint8Array(n);
    kind.set(this.idKind);
    this.idKind = kind;
    const ids = new Uint8Array(n * 16);
    ids.set(this.ids);
    this.ids = ids;
  }

  /**
   * Writes okta_user_id, okta_immutable_id and okta_check for a row: the Okta user of its cloud
   * UPN, else of its on-prem UPN. `tally`: count it in the summary (not for a row written again for report.html).
   */
  write(w: CsvBytes, row: ReconRow, on: OnpremTable, cl: CloudTable, tally = true): void {
    const o = row.onprem;
    const c = row.cloud;
    const t = c >= 0 ? cl : on;
    const r = c >= 0 ? c : o;
    const k = t.keyLen[r] === 0 ? -1 : this.index.find(t.arena.bytes, t.keyAt[r], t.keyLen[r], t.keyHash[r]);
    if (k < 0) {
      w.empty();
      w.empty();
      this.check(w, 2, tally);
      return;
    }
    if (tally) this.seen[k] = 1;
    const b = this.arena.bytes;
    w.field(b, this.userIdAt[k], this.userIdAt[k] + this.userIdLen[k]);
    w.field(b, this.idAt[k], this.idAt[k] + this.idLen[k]);
    this.check(w, this.agrees(k, o, c, on, cl) ? 0 : 1, tally);
  }

  private check(w: CsvBytes, which: number, tally: boolean): void {
    if (tally) this.checks[which]++;
    w.ascii(CHECK_BYTES[which]);
  }

  /** Okta pushes what the row should carry: the on-prem anchor where there is one, else the cloud user's ImmutableID as it is. */
  private agrees(k: number, o: number, c: number, on: OnpremTable, cl: CloudTable): boolean {
    const kind = this.idKind[k];
    const anchor = o >= 0 ? on.anchorAt(o) : -1;
    if (anchor >= 0) return kind === IdKind.Guid && sameBytes(this.ids, k * 16, on.guids, anchor, 16);
    if (c < 0) return kind === IdKind.Empty;
    const cloudKind = cl.idKind[c];
    if (cloudKind !== kind) return false;
    if (kind === IdKind.Guid) return sameBytes(this.ids, k * 16, cl.ids, c * 16, 16);
    if (kind === IdKind.Other) return this.idLen[k] === cl.otherIdLen(c) && sameBytes(this.arena.bytes, this.idAt[k], cl.arena.bytes, cl.otherIdAt(c), this.idLen[k]);
    return true;
  }

  /** The Okta users as plan reads them (readOktaAppUsers), from the rows already loaded: reconcile --plan reads the file once. */
  appUsers(): Map<string, OktaAppUser> {
    const users = new Map<string, OktaAppUser>();
    const a = this.arena;
    for (let i = 0; i < this.count; i++) {
      addAppUser(users, a.text(this.keyAt[i], this.keyLen[i]), a.text(this.userIdAt[i], this.userIdLen[i]), a.text(this.idAt[i], this.idLen[i]), this.knowsImmutableId);
    }
    return users;
  }

  summary(): OktaSummary {
    let firsts = 0;
    let seen = 0;
    for (let i = 0; i < this.count; i++) {
      if (!this.index.isFirst(i)) continue;
      firsts++;
      seen += this.seen[i];
    }
    return {
      file: this.file,
      rows: this.rows,
      users: firsts,
      without_user_name: this.withoutUserName,
      not_in_reconciliation: firsts - seen,
      check: { agrees: this.checks[0], differs: this.checks[1], 'not-assigned': this.checks[2] },
    };
  }
}
