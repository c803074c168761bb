/** A piscina worker: expands chunks of a BFS level, or of a liveness state graph, over shared buffers. */
import { expanderFor, type ExpandOutcome } from './expand.js';
import { ChunkExpander, labelPredicate, type EdgeChunk } from './graph.js';
import type { Model } from './model.js';
import { runnableUrl, type ModelRef, type WorkerTask } from './pool.js';
import { collectGarbage } from './release.js';
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

/** The seen table capacity of the last exploration task. */
let lastCapacity = 0;

/** The chunk expander of the graph being built (one build at a time; held until the next or the pool closes). */
let graphExpander: { build: number; expander: ChunkExpander<unknown> } | null = null;

export default async function task(t: WorkerTask): Promise<ExpandOutcome | EdgeChunk | null> {
  const model = await modelFor(t.model);
  if (t.kind === 'load') return null;
  if (t.kind === 'graph') {
    if (graphExpander?.build !== t.build) {
      const predicates = t.labels.map((ref) => labelPredicate(model, ref));
      graphExpander = { build: t.build, expander: new ChunkExpander(model, t.store, new Uint32Array(t.lookup), predicates) };
    }
    const c = graphExpander.expander.expand(t.lo, t.hi);
    // Copy the used part only: posting a view posts its whole buffer.
    return { ...c, targets: c.targets.slice(), actions: c.actions.slice() };
  }
  // The thread's one expander for this model, attached to this exploration's buffers for the level
  // only: nothing holds them between tasks. A bigger table than the last task's: the old one is
  // garbage here too, and only a collection gives its memory back (see release.ts).
  if (t.table.capacity !== lastCapacity) {
    if (lastCapacity !== 0) collectGarbage();
    lastCapacity = t.table.capacity;
  }
  const target = { store: new StoreView(t.store), seen: new SeenView(t.table), stateLimit: t.stateLimit, exclusive: false };
  return expanderFor(model).run(target, t.range, t.check);
}
