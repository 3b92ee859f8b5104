/**
 * The second thread of a reconcile (side-worker.ts), which can be started before the command
 * line is parsed: a thread takes about 50 ms to start and load its modules, and started then it
 * does so on the idle core while this thread loads the commands, instead of holding up the
 * reading of the on-prem file. It waits, unreferenced, for the file to read (load.ts); one nobody
 * takes is terminated with the run, or at exit. This module loads nothing else, so starting
 * early costs this thread nothing.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

let early: Worker | undefined;

/**
 * Its young generation is held to 8 MB: the thread allocates little once it has read its file,
 * and V8 otherwise grows the young generation to its limit anyway (to 30 MB and more, resident
 * until the end). Measured at 1M users: 6 MB less at the peak, the same time.
 */
const start = (): Worker => new Worker(join(__dirname, 'side-worker.js'), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });

/** Starts the thread now, for takeSideThread. */
export function startSideThread(): void {
  if (early) return;
  const thread = start();
  thread.unref();
  // A thread that failed to start is not handed out: takeSideThread starts another, whose failure is reported.
  const forget = (): void => {
    if (early === thread) early = undefined;
  };
  thread.once('error', forget);
  thread.once('exit', forget);
  early = thread;
}

/** The thread started early, or a new one. */
export function takeSideThread(): Worker {
  const thread = early ?? start();
  early = undefined;
  thread.removeAllListeners();
  // Working from now on: it keeps the process alive.
  thread.ref();
  return thread;
}

/** The thread started early is not needed (one thread is enough for this run). */
export async function dropSideThread(): Promise<void> {
  const thread = early;
  early = undefined;
  await thread?.terminate();
}
