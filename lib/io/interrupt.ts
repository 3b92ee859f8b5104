/**
 * Ctrl-C for long runs. A command that can stop cleanly (apply: rows in flight finish or are
 * undone) listens here; lib/cli.ts gives it the first Ctrl-C and ends the process on a second.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

const listeners = new Set<(signal: StopSignal) => void>();

/** Returns the function that stops listening. */
export function onInterrupt(listener: (signal: StopSignal) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells the listeners; false when nobody listens and the process should simply end. */
export function interrupt(signal: StopSignal): boolean {
  for (const listener of listeners) listener(signal);
  return listeners.size > 0;
}
