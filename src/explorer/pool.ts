/**
 * Worker threads for parallel exploration, on piscina. One task per thread per level: each task
 * claims chunks of the frontier from the shared cursor until it is exhausted, so threads balance
 * themselves. Everything a task touches lives in shared buffers (the store, the seen table, the
 * control words); only a few references and the per-thread statistics are passed as messages.
 */
import { Piscina } from 'piscina';
import type { ExpandOutcome, LevelRange } from './expand.js';
import type { SeenTable } from './seen.js';
import type { StateStore } from './store.js';

/** How a worker thread rebuilds the model: a module exporting `loadModel(spec)`, and the spec. */
export interface ModelRef {
  /** URL of an ES module whose `loadModel(spec)` returns a `Model` (or a promise of one). */
  readonly loader: string;
  /** JSON-serialisable description of the model (name, parameters...). */
  readonly spec: unknown;
}

export interface LevelTask {
  readonly store: StateStore;
  readonly table: SeenTable;
  readonly check: readonly string[];
  readonly stateLimit: number;
  readonly range: LevelRange;
}

export type WorkerTask = (LevelTask & { readonly kind: 'level'; readonly model: ModelRef }) | { readonly kind: 'load'; readonly model: ModelRef };

/**
 * Maps a module URL under `src/*.ts` (tests running TypeScript directly) to its compiled twin in
 * `dist/*.js`: worker threads load plain JavaScript.
 */
export function runnableUrl(url: string): string {
  return url.endsWith('.ts') ? url.replace(/\/src\/(.*)\.ts$/, '/dist/$1.js') : url;
}

export class WorkerPool {
  private readonly piscina: Piscina;
  private closed = false;
  private loaded = false;
  /** Settles when every thread has built the model (or failed to). */
  readonly ready: Promise<void>;

  constructor(
    private readonly model: ModelRef,
    readonly threads: number,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`worker threads must be a positive integer, got ${threads}`);
    this.piscina = new Piscina({
      filename: runnableUrl(import.meta.url.replace(/pool\.(ts|js)$/, 'worker.$1')),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      // Every task runs a whole level; never queue one behind another on the same thread.
      concurrentTasksPerWorker: 1,
    });
    // Start building the model on every thread now, while the caller is still setting up, so the
    // first levels do not wait for module loading. Errors surface on the first level too.
    this.ready = Promise.all(Array.from({ length: threads }, () => this.piscina.run({ kind: 'load', model } satisfies WorkerTask))).then(
      () => {
        this.loaded = true;
      },
      () => {
        this.loaded = true;
      },
    );
  }

  /** Every thread has built the model (or failed to: the next level will say). */
  get isReady(): boolean {
    return this.loaded;
  }

  async runLevel(task: LevelTask): Promise<ExpandOutcome[]> {
    if (this.closed) throw new Error('the worker pool is closed');
    const full: WorkerTask = { ...task, kind: 'level', model: this.model };
    return Promise.all(Array.from({ length: this.threads }, () => this.piscina.run(full) as Promise<ExpandOutcome>));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.piscina.destroy();
  }
}
