import type { OrderedMap as ImmutableOrderedMap } from 'immutable';

/**
 * The Model contract: everything the explorer knows about a model.
 *
 * Shaped after Stateright's `Model` trait: initial states, the enabled actions of a state and the
 * next state for each, plus properties. Two representations of a state are involved:
 *
 *  - the *working* form `S` a model computes on (for the StatefulSet model, a byte per field in a
 *    `Uint8Array`); the explorer never looks inside it;
 *  - the *packed* form: `stateWords` 32-bit words, canonical (two states are equal exactly when
 *    their packed words are), which is what is hashed, stored and sent between threads.
 *
 * Purity is part of the contract: `successors`, `apply`, properties and `view` must depend only on
 * their arguments and never modify them. Parallel exploration turns a violation of this rule into
 * wrong answers, and the test suite checks it with fast-check.
 */

/** Who performs an action: used for colouring, fairness defaults and reports. */
export type Actor = string;

/** One action instance: a family applied to concrete parameters, e.g. `Schedule(0,1)`. */
export interface ActionInstance {
  /** Index in `Model.actions`; what the explorer stores per state to rebuild traces. */
  readonly index: number;
  /** Family name, e.g. `Schedule`. Coverage is reported per family and per instance. */
  readonly family: string;
  /** Concrete parameters, e.g. `[0, 1]`. */
  readonly params: readonly number[];
  /** Display label, e.g. `Schedule(0,1)`. Unique within a model. */
  readonly label: string;
  readonly actor: Actor;
  /**
   * Fairness of this instance for liveness checking. `none` for environment actions. Instances
   * sharing a `fairGroup` are fair as a group (enabled = some member enabled, taken = some member
   * taken): the reference model's `Schedule` is fair per ordinal over all nodes.
   */
  readonly fairness: 'weak' | 'strong' | 'none';
  readonly fairGroup: string;
}

export type PropertyKind = 'invariant' | 'transition' | 'liveness';

export interface InvariantProperty<S> {
  readonly kind: 'invariant';
  readonly name: string;
  /** One sentence a user reads next to a counterexample. */
  readonly description: string;
  holds(s: S): boolean;
}

export interface TransitionProperty<S> {
  readonly kind: 'transition';
  readonly name: string;
  readonly description: string;
  /** Checked on every step `pre -> post` taken by action instance `action`. */
  holds(pre: S, post: S, action: number): boolean;
}

/**
 * Temporal operators supported for liveness: `<>[]P` (eventually always), `[]<>P` (infinitely
 * often), `<>P` (eventually) and `P ~> Q` (leads to).
 */
export type LivenessForm = 'eventuallyAlways' | 'alwaysEventually' | 'eventually' | 'leadsTo';

export interface LivenessProperty<S> {
  readonly kind: 'liveness';
  readonly name: string;
  readonly description: string;
  readonly form: LivenessForm;
  /** `P` (for `leadsTo`, the premise). */
  readonly p: (s: S) => boolean;
  /** `Q` for `leadsTo`. */
  readonly q?: (s: S) => boolean;
}

export type Property<S> = InvariantProperty<S> | TransitionProperty<S> | LivenessProperty<S>;

/**
 * What a model shows of a state: object name (`Pod web-1`, `Node 1`, ...) to its fields, `null`
 * when the object is absent. Immutable collections: views are what people diff, keep and pass
 * around (trace rendering, reports), never the exploration hot path.
 */
export type FieldValue = string | number | boolean;
export type ObjectView = ImmutableOrderedMap<string, FieldValue>;
export type StateView = ImmutableOrderedMap<string, ObjectView | null>;

export interface Model<S = unknown> {
  readonly name: string;
  /** The resolved parameters the model was built from (for reports and worker reconstruction). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Number of 32-bit words of a packed state. */
  readonly stateWords: number;
  /** All action instances, indexed by `ActionInstance.index`. */
  readonly actions: readonly ActionInstance[];
  readonly properties: readonly Property<S>[];

  initialStates(): S[];
  /** A fresh working-form state to decode into. */
  scratch(): S;
  /** Writes the canonical packed form of `s` at `out[off .. off + stateWords)`. */
  encode(s: S, out: Uint32Array, off: number): void;
  /** Reads a packed state into `into` (overwriting it entirely). */
  decode(words: Uint32Array, off: number, into: S): void;
  /**
   * Calls `emit` once per enabled action instance with the successor it produces. The successor
   * object may be reused by the model after `emit` returns: copy it if it must be kept.
   */
  successors(s: S, emit: (action: number, next: S) => void): void;
  /** The successor of `s` by one action instance, or `null` when it is not enabled. Allocates. */
  apply(s: S, action: number): S | null;
  /**
   * Named guard conditions of `action` that fail in `s` (empty when it is enabled). Comes from the
   * same guard code as `successors`, so explanations cannot drift from behaviour.
   */
  explain(s: S, action: number): string[];
  /** Optional: what each guard condition name of `explain` requires, in words. */
  readonly conditions?: Readonly<Record<string, string>>;
  /** Structured display of a state (pods, nodes, volumes...). */
  view(s: S): StateView;
  /** A JSON-friendly, typed rendering of a state for ITF traces: variable name to value. */
  itf(s: S): Record<string, unknown>;
  /** Inverse of `itf`, for re-rendering saved traces. */
  fromItf(vars: Record<string, unknown>): S;
  /**
   * Only on a model built with symmetry reduction: replaces `s`, in place, by the canonical
   * representative of its symmetry class. The explorer stores and fingerprints representatives,
   * so one state per class is explored; transition properties still see the step as taken, and
   * counterexamples are rebuilt as real behaviours (see `trace.ts`). The initial states must be
   * closed under the symmetry, and every property must treat symmetric states alike.
   */
  canonicalize?(s: S): void;
}

/** Builds a model from resolved parameters; what the registry and worker threads call. */
export interface ModelFactory {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly ParameterSpec[];
  /** Property names and kinds, without building a model (for `stsmc list`). */
  readonly propertyNames: readonly { name: string; kind: PropertyKind; description: string }[];
  /**
   * `plugin` is model-specific and opaque to the explorer (the StatefulSet model takes a
   * controller variant).
   */
  create(params: Readonly<Record<string, unknown>>, plugin?: unknown, options?: CreateOptions): Model<any>;
  /** Whether the model has a symmetry `create` can reduce by (`CreateOptions.symmetry`). */
  readonly symmetric?: boolean;
}

export interface CreateOptions {
  /**
   * Build the model with its symmetry reduction (`Model.canonicalize`). Sound for invariants and
   * transition properties that treat the symmetric elements alike; the caller checks liveness
   * without it.
   */
  readonly symmetry?: boolean;
}

export type ParameterSpec =
  | {
      name: string;
      kind: 'int';
      min: number;
      max: number;
      default: number;
      /** When set, the default is the value of that (earlier) parameter, e.g. `initReplicas` defaults to `R`. */
      defaultFrom?: string;
      description: string;
    }
  | { name: string; kind: 'enum'; values: readonly string[]; default: string; description: string }
  | { name: string; kind: 'bool'; default: boolean; description: string }
  | {
      name: string;
      kind: 'set';
      values: readonly string[];
      /** Further accepted values that `all` does not include (features outside the reference profile). */
      extra?: readonly string[];
      default: readonly string[];
      description: string;
    }
  /** A name (display only: it must not change the state space), e.g. the StatefulSet's name. */
  | { name: string; kind: 'name'; pattern: RegExp; default: string; description: string };
