/**
 * The replay engine: executes given action instances one by one from a chosen initial state,
 * recording each step's changes (per object, from the model's view) and the safety properties it
 * violates, and says at any point which actions are enabled and, for each disabled one, which named
 * guard conditions fail. Everything comes from the model itself (`apply`, `explain`, `view`,
 * properties), so a replay cannot disagree with exploration.
 */
import type { InvariantProperty, Model, StateView, TransitionProperty } from '../explorer/model.js';
import { diffViews, type ObjectChange } from '../explorer/viewDiff.js';
import { InputError } from '../input/errors.js';
import { initialState } from '../scenario/labels.js';

export interface ReplayStep<S> {
  /** 1-based step number. */
  readonly step: number;
  readonly label: string;
  readonly action: number;
  readonly state: S;
  readonly view: StateView;
  readonly changed: readonly ObjectChange[];
  /** Invariants false in the post-state and transition properties false on this step. */
  readonly violations: readonly string[];
}

/** A step that could not be taken: its action is not enabled. */
export interface BlockedStep {
  readonly step: number;
  readonly label: string;
  readonly action: number;
  readonly failing: readonly string[];
}

export interface Availability {
  readonly enabled: readonly string[];
  /** Every disabled action instance with the names of its failing guard conditions. */
  readonly disabled: Readonly<Record<string, readonly string[]>>;
}

/** Shown when a guard refuses without naming a condition (a model bug, but never hidden). */
export const UNNAMED_CONDITION = '(guard failed without naming a condition)';

type Safety<S> = InvariantProperty<S> | TransitionProperty<S>;

/** The safety properties of `model` to evaluate, restricted to `names` when given. */
export function safetyProperties<S>(model: Model<S>, names?: readonly string[]): Safety<S>[] {
  const all = model.properties.filter((p): p is Safety<S> => p.kind !== 'liveness');
  if (names === undefined) return all;
  for (const n of names) {
    if (!model.properties.some((p) => p.name === n)) {
      throw new InputError(`unknown property '${n}' for model '${model.name}' (properties: ${model.properties.map((p) => p.name).join(', ')})`);
    }
  }
  return all.filter((p) => names.includes(p.name));
}

export class Replayer<S> {
  private current: S;
  private currentView: StateView;
  private readonly props: Safety<S>[];
  readonly steps: ReplayStep<S>[] = [];
  /** Invariants already false in the initial state. */
  readonly initialViolations: readonly string[];

  constructor(
    readonly model: Model<S>,
    readonly initial: S,
    properties?: readonly string[],
  ) {
    this.props = safetyProperties(model, properties);
    this.current = initial;
    this.currentView = model.view(initial);
    this.initialViolations = this.props.filter((p) => p.kind === 'invariant' && !p.holds(initial)).map((p) => p.name);
  }

  get state(): S {
    return this.current;
  }

  get view(): StateView {
    return this.currentView;
  }

  /** Takes one step, or reports (without changing anything) why its action is not enabled. */
  step(action: number): ReplayStep<S> | BlockedStep {
    const a = this.model.actions[action];
    if (a === undefined) throw new InputError(`no action with index ${action}`);
    const pre = this.current;
    const post = this.model.apply(pre, action);
    const n = this.steps.length + 1;
    if (post === null) return { step: n, label: a.label, action, failing: this.failing(pre, action) };
    const violations = this.props
      .filter((p) => (p.kind === 'invariant' ? !p.holds(post) : !p.holds(pre, post, action)))
      .map((p) => p.name);
    const view = this.model.view(post);
    const rec: ReplayStep<S> = { step: n, label: a.label, action, state: post, view, changed: diffViews(this.currentView, view), violations };
    this.steps.push(rec);
    this.current = post;
    this.currentView = view;
    return rec;
  }

  /** Enabled action instances in the current state, and why each other one is not. */
  availability(): Availability {
    return availability(this.model, this.current);
  }

  private failing(s: S, action: number): string[] {
    const why = this.model.explain(s, action);
    return why.length ? why : [UNNAMED_CONDITION];
  }
}

export function availability<S>(model: Model<S>, s: S): Availability {
  const enabled: string[] = [];
  const disabled: Record<string, readonly string[]> = {};
  for (const a of model.actions) {
    if (model.apply(s, a.index) !== null) enabled.push(a.label);
    else {
      const why = model.explain(s, a.index);
      disabled[a.label] = why.length ? why : [UNNAMED_CONDITION];
    }
  }
  return { enabled, disabled };
}

export function isBlocked<S>(r: ReplayStep<S> | BlockedStep): r is BlockedStep {
  return 'failing' in r;
}

/** The outcome of replaying a whole list of steps. */
export interface ReplayOutcome<S> {
  readonly init: number;
  readonly initial: S;
  readonly initialView: StateView;
  readonly initialViolations: readonly string[];
  readonly steps: readonly ReplayStep<S>[];
  /** The first step that was not enabled, if any (replay stops there). */
  readonly blocked: BlockedStep | null;
  readonly final: S;
  readonly finalView: StateView;
  readonly availability: Availability;
}

/** Replays `actions` from initial state `init`, stopping at the first one that is not enabled. */
export function replay<S>(model: Model<S>, init: number, actions: readonly number[], properties?: readonly string[]): ReplayOutcome<S> {
  const r = new Replayer(model, initialState(model, init), properties);
  let blocked: BlockedStep | null = null;
  for (const a of actions) {
    const res = r.step(a);
    if (isBlocked(res)) {
      blocked = res;
      break;
    }
  }
  return {
    init,
    initial: r.initial,
    initialView: model.view(r.initial),
    initialViolations: r.initialViolations,
    steps: r.steps,
    blocked,
    final: r.state,
    finalView: r.view,
    availability: r.availability(),
  };
}
