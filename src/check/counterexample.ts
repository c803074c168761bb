/**
 * A counterexample as reports see it: model-agnostic, each step an action label and the model's
 * view of the state (plus its ITF variables for export). Built from explorer traces by the CLI and
 * from saved ITF files by `stsmc trace`, so both render identically.
 */
import type { PropertyKind, StateView } from '../explorer/model.js';

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
