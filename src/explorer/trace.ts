/**
 * Rebuilding counterexamples: follow predecessor links back to an initial state, then replay the
 * recorded actions through the model. Replaying (rather than storing states) keeps memory per state
 * small, and checks on the way that the model is deterministic: each replayed state must encode to
 * exactly the stored words.
 */
import type { Model } from './model.js';
import { NO_PARENT, StoreView, type StateStore } from './store.js';

export interface TraceStep<S> {
  /** Action label; `null` for the initial state. */
  readonly action: string | null;
  readonly actionIndex: number;
  readonly state: S;
}

export class ReplayError extends Error {
  override readonly name = 'ReplayError';
}

/** The ids on the path from an initial state to `id`, initial first. */
export function pathTo(store: StateStore, id: number): number[] {
  const { parents } = new StoreView(store);
  const path: number[] = [];
  for (let at = id; ; at = parents[at]!) {
    path.push(at);
    if (parents[at] === NO_PARENT) break;
    if (path.length > 1e7) throw new ReplayError('predecessor links form a cycle');
  }
  return path.reverse();
}

/**
 * The trace ending in state `id`, plus one more step by `extraAction` when given (a transition
 * property's violating step, whose post-state may be a state seen earlier).
 */
export function rebuildTrace<S>(model: Model<S>, store: StateStore, id: number, extraAction = -1): TraceStep<S>[] {
  const view = new StoreView(store);
  const W = model.stateWords;
  const ids = pathTo(store, id);
  const first = model.scratch();
  model.decode(view.states, ids[0]! * W, first);
  const steps: TraceStep<S>[] = [{ action: null, actionIndex: -1, state: first }];
  const buf = new Uint32Array(W);
  let cur = first;
  for (let k = 1; k < ids.length; k++) {
    const action = view.actions[ids[k]!]!;
    cur = step(model, cur, action);
    model.encode(cur, buf, 0);
    for (let w = 0; w < W; w++) {
      if (buf[w] !== view.states[ids[k]! * W + w]) {
        throw new ReplayError(`replaying ${model.actions[action]!.label} did not reproduce the explored state: the model is not deterministic`);
      }
    }
    steps.push({ action: model.actions[action]!.label, actionIndex: action, state: cur });
  }
  if (extraAction >= 0) {
    steps.push({ action: model.actions[extraAction]!.label, actionIndex: extraAction, state: step(model, cur, extraAction) });
  }
  return steps;
}

function step<S>(model: Model<S>, s: S, action: number): S {
  const next = model.apply(s, action);
  if (next === null) throw new ReplayError(`action ${model.actions[action]?.label ?? action} is not enabled during replay: the model is not deterministic`);
  return next;
}
