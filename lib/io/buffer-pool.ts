/**
 * Output buffers of one size, used again once their bytes are in the file. Writing a 200 MB
 * reconciliation through fresh 1 MB buffers left 200 MB of garbage behind: a full garbage
 * collection every few dozen megabytes, and resident memory growing until each one.
 *
 * The buffers are shared memory, so handing one to another thread (rows.ts) posts it without
 * transferring it: a transfer detaches the sender's ArrayBuffer, and the first detach in a thread
 * makes V8 throw away every optimised function that reads a typed array (its
 * "ArrayBufferDetaching" protector), all the rows' code, in each thread, just as it got fast.
 */
export class BufferPool {
  private readonly free: SharedArrayBuffer[] = [];

  /** `more`: where given-back buffers arrive from another thread, if they do. */
  constructor(
    readonly size: number,
    private readonly more: () => SharedArrayBuffer | undefined = () => undefined,
  ) {}

  /** A buffer of `size` bytes, one given back if there is one. */
  readonly take = (): Buffer => Buffer.from(this.free.pop() ?? this.more() ?? new SharedArrayBuffer(this.size), 0, this.size);

  /** The memory of a buffer whose bytes are written; one of another size (a long row's) is left to the collector. */
  give(b: ArrayBufferLike): void {
    if (b.byteLength === this.size && b instanceof SharedArrayBuffer) this.free.push(b);
  }
}
