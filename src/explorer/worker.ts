/** A piscina worker: expands chunks of a BFS level over the shared store and table. */
import { Expander, type ExpandOutcome } from './expand.js';
import type { Model } from './model.js';
import { runnableUrl, type ModelRef, type WorkerTask } from './pool.js';
import { SeenView } from './seen.js';
import { StoreView } from './store.js';

const models = new Map<string, Promise<Model<unknown>>>();

function modelFor(ref: ModelRef): Promise<Model<unknown>> {
  const key = `${ref.loader}\n${JSON.stringify(ref.spec)}`;
  let m = models.get(key);
  if (!m) {
    m = import(runnableUrl(ref.loader)).then((mod: { loadModel(spec: unknown): Model<unknown> | Promise<Model<unknown>> }) => mod.loadModel(ref.spec));
    models.set(key, m);
  }
  return m;
}

/**
 * The expander of the exploration in progress, kept from level to level (its scratch buffers and
 * callbacks are reused). Shared buffers arrive as new objects with every task, so explorations are
 * told apart by the model and the store's `tag`.
 */
let current: { key: string; storeTag: number; capacity: number; expander: Expander<unknown> } | null = null;

export default async function task(t: WorkerTask): Promise<ExpandOutcome | null> {
  const model = await modelFor(t.model);
  if (t.kind === 'load') return null;
  const key = `${t.model.loader}\n${JSON.stringify(t.model.spec)}`;
  const tag = t.store.tag;
  if (current === null || current.key !== key || current.storeTag !== tag) {
    const expander = new Expander(model, new StoreView(t.store), new SeenView(t.table), t.stateLimit);
    current = { key, storeTag: tag, capacity: t.table.capacity, expander };
  } else if (current.capacity !== t.table.capacity) {
    current.expander.useTable(new SeenView(t.table));
    current.capacity = t.table.capacity;
  }
  return current.expander.run(t.range, t.check);
}
