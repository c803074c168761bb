/** A piscina worker: expands chunks of a BFS level over the shared store and table. */
import { expanderFor, type ExpandOutcome } from './expand.js';
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

export default async function task(t: WorkerTask): Promise<ExpandOutcome | null> {
  const model = await modelFor(t.model);
  if (t.kind === 'load') return null;
  // The thread's one expander for this model, attached to this exploration's buffers for the level
  // only: nothing holds them between tasks.
  const target = { store: new StoreView(t.store), seen: new SeenView(t.table), stateLimit: t.stateLimit, exclusive: false };
  return expanderFor(model).run(target, t.range, t.check);
}
