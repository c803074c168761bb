/**
 * Giving a replaced seen table's memory back. When the table grows, the old one (gigabytes in a
 * large run) is garbage, but its shared memory returns to the OS only once every thread that
 * received it has collected its handle. The thread that allocated a table accounts for its memory
 * and collects in time; a worker thread only received a handle of a few bytes, which alone never
 * makes V8 collect, so old tables piled up there: 13.1 GiB peak for `R=5 nodes=3 budget=3` with
 * 2 workers. A worker therefore collects once when it first sees a bigger table, and so does the
 * main thread when it works with workers (a few milliseconds: the states live in shared buffers,
 * the heap is small). (Alone, the main thread collects in time by itself; collecting there
 * explicitly only made the peak of one-thread runs higher: 732 MiB against 625 at `budget=4`.)
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined | null = null;

/** A full collection on this thread, if the runtime lets us have one (it does on Node 20). */
export function collectGarbage(): void {
  if (gc === null) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = undefined;
    }
  }
  gc?.();
}
