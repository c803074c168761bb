/**
 * Worker threads for parallel exploration, on piscina. One task per thread per level (or per part
 * of a level, when the seen table grows in the middle of one): each task claims chunks of the
 * frontier from the shared cursor until it is exhausted or a stop is requested, so threads balance
 * themselves. Everything a task touches lives in shared buffers (the store, the seen table, the
 * control words); only a few references and the per-thread statistics are passed as messages.
 */
import { Piscina } from 'piscina';
import type { ExpandOutcome, LevelRange } from './expand.js';
import type { EdgeChunk, LabelRef } from './graph.js';
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

/** States `lo .. hi-1` of a state graph under construction (see `graph.ts`). */
export interface GraphChunkTask {
  /** Which build of this thread the chunk belongs to (workers keep one expander per build). */
  readonly build: number;
  readonly store: StateStore;
  /** The exact lookup table (packed words to id + 1), a Uint32Array's buffer. */
  readonly lookup: SharedArrayBuffer;
  readonly labels: readonly LabelRef[];
  readonly lo: number;
  readonly hi: number;
}

export type WorkerTask =
  | (LevelTask & { readonly kind: 'level'; readonly model: ModelRef })
  | (GraphChunkTask & { readonly kind: 'graph'; readonly model: ModelRef })
  | { readonly kind: 'load'; readonly model: ModelRef };

/**
 * Maps a module URL under `src/*.ts` (tests running TypeScript directly) to its compiled twin in
 * `dist/*.js`: worker threads load plain JavaScript.
 */
export function runnableUrl(url: string): string {
  return url.endsWith('.ts') ? url.replace(/\/src\/(.*)\.ts$/, '/dist/$1.js') : url;
}

export interface PoolOptions {
  /**
   * The calling thread explores too, as one of the `threads` (default true): then only
   * `threads - 1` worker threads are started. On a machine with as many cores as threads this
   * is faster than leaving the caller idle: one fewer thread to start, load the model in and warm
   * up, and the caller is already warm from the first levels, which it explores alone while the
   * workers start. It stays responsive: it explores in slices of a few tens of milliseconds.
   */
  readonly callerExplores?: boolean;
  /**
   * Build the model on one worker thread first, and on the others once it has succeeded (default
   * false: all at once). For a controller variant: its first load type-checks and compiles it, and
   * the others then find it compiled; and a variant that cannot load (or loops while loading) is
   * found by one thread, not all of them.
   */
  readonly loadOneFirst?: boolean;
}

export class WorkerPool {
  private readonly piscina: Piscina | null;
  private closed = false;
  private loaded = false;
  private killed = false;
  /** Settles when the first worker thread has built the model; rejects with its error. */
  private readonly firstLoad: Promise<unknown>;
  /** Worker threads started (`threads - 1` when the caller explores too). */
  readonly workers: number;
  readonly callerExplores: boolean;
  /** Settles when every worker thread has built the model (or failed to). */
  readonly ready: Promise<void>;

  constructor(
    private readonly model: ModelRef,
    /** Threads exploring: the worker threads, plus the caller when it explores too. */
    readonly threads: number,
    options: PoolOptions = {},
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
    this.callerExplores = options.callerExplores ?? true;
    this.workers = this.callerExplores ? threads - 1 : threads;
    this.piscina =
      this.workers === 0
        ? null
        : new Piscina({
            filename: runnableUrl(import.meta.url.replace(/pool\.(ts|js)$/, 'worker.$1')),
            minThreads: this.workers,
            maxThreads: this.workers,
            idleTimeout: 60_000,
            // Every task runs a whole level; never queue one behind another on the same thread.
            concurrentTasksPerWorker: 1,
            // Piscina loads the worker module with require() first; on Node 20.19+ that is
            // require(esm), which crashed a worker thread once in CI ("IsGraphAsync must be used on
            // an instantiated module", a Node bug). Without require(esm) it fails at once and
            // piscina imports the module as ESM, the path that always worked.
            execArgv: [...process.execArgv, '--no-experimental-require-module'],
          });
    // Start building the model on every thread now, while the caller is still setting up, so the
    // first levels do not wait for module loading. Errors surface on the first level too.
    const piscina = this.piscina;
    const load = () => (piscina ? piscina.run({ kind: 'load', model } satisfies WorkerTask) : Promise.resolve(null));
    let loads: Promise<unknown>;
    if (options.loadOneFirst && this.workers > 1) {
      const first = load();
      this.firstLoad = first;
      loads = first.then(() => Promise.all(Array.from({ length: this.workers - 1 }, load)));
    } else {
      loads = Promise.all(Array.from({ length: this.workers }, load));
      this.firstLoad = loads;
    }
    const done = () => {
      this.loaded = true;
    };
    this.ready = loads.then(done, done);
  }

  /**
   * Resolves once a worker thread has built the model (with `loadOneFirst`, the first one; else
   * all of them); rejects with the error of a thread that could not.
   */
  whenLoaded(): Promise<void> {
    return this.firstLoad.then(() => undefined);
  }

  /**
   * Ends every worker thread at once, whatever it is doing (a controller variant that loops
   * forever in a guard never comes back to look at the stop flag): their tasks fail, and the pool
   * is closed.
   */
  async terminate(): Promise<void> {
    this.killed = true;
    await this.close();
  }

  /** `terminate` was called: the threads were ended in the middle of their work. */
  get terminated(): boolean {
    return this.killed;
  }

  /** Every worker thread has built the model (or failed to: the next level will say). */
  get isReady(): boolean {
    return this.loaded;
  }

  /** One task per worker thread, each claiming chunks of the level until none are left. */
  async runLevel(task: LevelTask): Promise<ExpandOutcome[]> {
    if (this.closed) throw new Error('the worker pool is closed');
    const piscina = this.piscina;
    if (!piscina) return [];
    const full: WorkerTask = { ...task, kind: 'level', model: this.model };
    return Promise.all(Array.from({ length: this.workers }, () => piscina.run(full) as Promise<ExpandOutcome>));
  }

  /** Expands one chunk of a state graph on a worker thread. */
  async runGraphChunk(task: GraphChunkTask): Promise<EdgeChunk> {
    if (this.closed) throw new Error('the worker pool is closed');
    if (!this.piscina) throw new Error('the worker pool has no worker threads');
    return (await this.piscina.run({ ...task, kind: 'graph', model: this.model } satisfies WorkerTask)) as EdgeChunk;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.piscina?.destroy();
  }
}
