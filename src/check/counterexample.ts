/**
 * A counterexample as data: model-agnostic, each step an action label and the model's view of the
 * state (plus its ITF variables for export). Built from explorer traces by the check (and by
 * `stsmc simulate`), and from saved ITF files by `stsmc trace`, so that the renderers in
 * src/report/ draw both identically.
 */
import { isStutter, type Lasso } from '../explorer/liveness.js';
import type { Model, PropertyKind, StateView } from '../explorer/model.js';
import type { TraceStep } from '../explorer/trace.js';
import type { Plan } from '../scenario/scenario.js';
import { variantReference } from '../spec/variantLoader.js';

export interface CounterexampleStep {
  /** Action label; `null` for the initial state. */
  readonly action: string | null;
  readonly view: StateView;
  /** The state as ITF variables (model-specific JSON-like values; Maps for ITF maps). */
  readonly vars: Record<string, unknown>;
}

export interface Counterexample {
  readonly scenario: string;
  readonly description: string;
  readonly model: string;
  /** The controller variant (a built-in name or a module path), absent for upstream. */
  readonly controller?: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly property: { readonly name: string; readonly kind: PropertyKind; readonly description: string };
  readonly steps: readonly CounterexampleStep[];
  /** Liveness lasso: the loop goes from the last step back to step `loopBack`. */
  readonly loopBack?: number;
  /** Liveness: the behaviour stutters forever in the last state; these fair actions are disabled there. */
  readonly stutter?: readonly {
    readonly label: string;
    /** Names of the guard conditions that fail. */
    readonly failing: readonly string[];
    readonly actor?: string;
    /** What the first failing condition requires, in words (when the model says). */
    readonly needs?: string;
  }[];
}

/** Number of steps (actions) of a counterexample. */
export function traceLength(cx: Counterexample): number {
  return cx.steps.length - 1;
}

/** The property a counterexample is about. */
export type PropertyHeading = Counterexample['property'];

/** A trace of the explorer (a safety violation, or a simulation's walk) as a counterexample of `property`. */
export function toCounterexample<S>(
  plan: Plan,
  model: Model<S>,
  property: PropertyHeading,
  steps: readonly TraceStep<S>[],
  extra: Pick<Counterexample, 'loopBack' | 'stutter'> = {},
): Counterexample {
  return {
    scenario: plan.name,
    description: plan.description,
    model: plan.factory.name,
    ...(plan.controller ? { controller: variantReference(plan.controller) } : {}),
    params: plan.params,
    property: { name: property.name, kind: property.kind, description: property.description },
    steps: steps.map((s) => ({ action: s.action, view: model.view(s.state), vars: model.itf(s.state) })),
    ...extra,
  };
}

/** A liveness lasso as a counterexample: the prefix, then the loop back to a prefix state, or a stutter. */
export function lassoCounterexample<S>(plan: Plan, model: Model<S>, property: PropertyHeading, lasso: Lasso<S>): Counterexample {
  if (isStutter(lasso)) {
    const stutter = lasso.stutter.disabled.map((d) => {
      const needs = model.conditions?.[d.failing[0] ?? ''];
      return { label: d.label, failing: d.failing, actor: model.actions[d.actionIndex]!.actor, ...(needs ? { needs } : {}) };
    });
    return toCounterexample(plan, model, property, lasso.prefix, { stutter });
  }
  return toCounterexample(plan, model, property, [...lasso.prefix, ...lasso.loop.steps], { loopBack: lasso.loop.backTo });
}
