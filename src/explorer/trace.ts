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
 *
 * Under symmetry reduction (`Model.canonicalize`) the store holds class representatives and each
 * recorded action was taken from a representative; the behaviour rebuilt here is a real one from
 * a real initial state: at each step it takes an action whose successor is in the recorded class
 * (the recorded action itself when it fits, else the first that does: the same action with the
 * symmetric elements renamed), so names stay consistent from the first state to the last. The
 * extra step must also break `violates` (the transition property), which is symmetric.
 */
export function rebuildTrace<S>(model: Model<S>, store: StateStore, id: number, extraAction = -1, violates?: (pre: S, post: S, action: number) => boolean): TraceStep<S>[] {
  const view = new StoreView(store);
  const W = model.stateWords;
  const ids = pathTo(store, id);
  const first = model.scratch();
  model.decode(view.states, ids[0]! * W, first);
  const steps: TraceStep<S>[] = [{ action: null, actionIndex: -1, state: first }];
  const buf = new Uint32Array(W);
  const symmetric = model.canonicalize !== undefined;
  let cur = first;
  for (let k = 1; k < ids.length; k++) {
    const recorded = view.actions[ids[k]!]!;
    const target = view.states.subarray(ids[k]! * W, ids[k]! * W + W);
    const found = symmetric ? stepInto(model, cur, recorded, target) : { action: recorded, next: step(model, cur, recorded) };
    if (found === null) throw new ReplayError(`no action from the rebuilt state reaches the explored state of ${model.actions[recorded]!.label}: the model is not deterministic, or not symmetric`);
    cur = found.next;
    model.encode(cur, buf, 0);
    if (!symmetric) {
      for (let w = 0; w < W; w++) {
        if (buf[w] !== target[w]) throw new ReplayError(`replaying ${model.actions[recorded]!.label} did not reproduce the explored state: the model is not deterministic`);
      }
    }
    steps.push({ action: model.actions[found.action]!.label, actionIndex: found.action, state: cur });
  }
  if (extraAction >= 0) {
    if (!symmetric) {
      steps.push({ action: model.actions[extraAction]!.label, actionIndex: extraAction, state: step(model, cur, extraAction) });
    } else {
      // The recorded step was taken from the representative: its post-state's class is the target.
      const rep = model.scratch();
      model.decode(view.states, ids.at(-1)! * W, rep);
      const post = step(model, rep, extraAction);
      model.canonicalize!(post);
      model.encode(post, buf, 0);
      const found = stepInto(model, cur, extraAction, buf.slice(), violates);
      if (found === null) throw new ReplayError(`no action from the rebuilt state reproduces the violating step ${model.actions[extraAction]!.label}: the model is not symmetric`);
      steps.push({ action: model.actions[found.action]!.label, actionIndex: found.action, state: found.next });
    }
  }
  return steps;
}

/** An action from `s` whose successor's class is `target` (and that breaks `violates`, if given): `preferred` first. */
function stepInto<S>(model: Model<S>, s: S, preferred: number, target: Uint32Array, violates?: (pre: S, post: S, action: number) => boolean): { action: number; next: S } | null {
  const W = model.stateWords;
  const buf = new Uint32Array(W);
  const probe = model.scratch();
  const fits = (a: number): S | null => {
    const next = model.apply(s, a);
    if (next === null) return null;
    model.encode(next, buf, 0);
    model.decode(buf, 0, probe);
    model.canonicalize!(probe);
    model.encode(probe, buf, 0);
    for (let w = 0; w < W; w++) if (buf[w] !== target[w]) return null;
    return violates === undefined || violates(s, next, a) ? next : null;
  };
  const first = fits(preferred);
  if (first !== null) return { action: preferred, next: first };
  for (let a = 0; a < model.actions.length; a++) {
    if (a === preferred) continue;
    const next = fits(a);
    if (next !== null) return { action: a, next };
  }
  return null;
}

function step<S>(model: Model<S>, s: S, action: number): S {
  const next = model.apply(s, action);
  if (next === null) throw new ReplayError(`action ${model.actions[action]?.label ?? action} is not enabled during replay: the model is not deterministic`);
  return next;
}
