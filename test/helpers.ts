/** Shared test helpers: build models, explore them, walk them at random. */
import { explore, type Exploration, type ExploreOptions } from '../src/explorer/bfs.js';
import type { Model } from '../src/explorer/model.js';
import { loadModel } from '../src/registry.js';

export function sts(params: Record<string, unknown> = {}): Model<Uint8Array> {
  return loadModel({ model: 'statefulset', params }) as Model<Uint8Array>;
}

export function exploreAll<S>(model: Model<S>, options: Partial<ExploreOptions> = {}): Promise<Exploration> {
  return explore(model, { check: [], ...options });
}

/** States reached by a random walk of `steps` steps, driven by `choices` (values in [0, 1)). */
export function walk<S>(model: Model<S>, choices: readonly number[]): S[] {
  const inits = model.initialStates();
  let s = inits[Math.floor((choices[0] ?? 0) * inits.length)]!;
  const seen = [s];
  for (const c of choices.slice(1)) {
    const next: S[] = [];
    model.successors(s, (_k, t) => {
      next.push(copy(t));
    });
    if (next.length === 0) break;
    s = next[Math.floor(c * next.length)]!;
    seen.push(s);
  }
  return seen;
}

function copy<S>(t: S): S {
  return (t as unknown as Uint8Array).slice() as unknown as S;
}
