/**
 * Output buffers of one size, used again once their bytes are in the file. Writing a 200 MB
 * reconciliation through fresh 1 MB buffers left 200 MB of garbage behind: a full garbage
 * collection every few dozen megabytes, and resident memory growing until each one.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** `more`: where given-back buffers arrive from another thread, if they do. */
  constructor(
    readonly size: number,
    private readonly more: () => ArrayBuffer | undefined = () => undefined,
  ) {}

  /** A buffer of `size` bytes, one given back if there is one. */
  readonly take = (): Buffer => {
    const b = this.free.pop() ?? this.more();
    // Slow: a buffer of its own, never a slice of Node's shared pool, so it can be given back and moved to another thread.
    return b ? Buffer.from(b, 0, this.size) : Buffer.allocUnsafeSlow(this.size);
  };

  /** The memory of a buffer whose bytes are written; one of another size (a long row's) is left to the collector. */
  give(b: ArrayBufferLike): void {
    if (b.byteLength === this.size && b instanceof ArrayBuffer) this.free.push(b);
  }
}
