/**
 * Worker threads for parallel exploration, on piscina. One task per thread per level: each task
 * claims chunks of the frontier from the shared cursor until it is exhausted, so threads balance
 * themselves. Everything a task touches lives in shared buffers; only a few references and the
 * per-thread statistics are passed as messages.
 */
import { Piscina } from 'piscina';
import type { ExpandOutcome, LevelRange } from './expand.js';
import type { SeenTable } from './seen.js';
import type { StateStore } from './store.js';

/** How a worker thread rebuilds the model: a module exporting `loadModel(spec)`, and the spec. */
export interface ModelRef {
  /** URL of an ES module whose `loadModel(spec)` returns a `Model`. */
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

export interface WorkerTask extends LevelTask {
  readonly model: ModelRef;
}

/**
 * Maps a module URL under `src/*.ts` (tests running TypeScript directly) to its compiled twin in
 * `dist/*.js`: worker threads load plain JavaScript.
 */
export function runnableUrl(url: string): string {
  return url.endsWith('.ts') ? url.replace(/\/src\/(.*)\.ts$/, '/dist/$1.js') : url;
}

export class WorkerPool {
  private readonly piscina: Piscina;

  constructor(
    private readonly model: ModelRef,
    readonly threads: number,
  ) {
    this.piscina = new Piscina({
      filename: runnableUrl(import.meta.url.replace(/pool\.(ts|js)$/, 'worker.$1')),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      // Every task runs a whole level; never queue one behind another on the same thread.
      concurrentTasksPerWorker: 1,
    });
  }

  async runLevel(task: LevelTask): Promise<ExpandOutcome[]> {
    const full: WorkerTask = { ...task, model: this.model };
    return Promise.all(Array.from({ length: this.threads }, () => this.piscina.run(full) as Promise<ExpandOutcome>));
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
