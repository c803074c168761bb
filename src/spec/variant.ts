/**
 * Controller variants: a changed StatefulSet controller plugged into the same model. The rest of
 * the model (kubelet, scheduler, volumes, environment) stays the same, so `stsmc compare` shows
 * exactly which guarantees a controller change keeps or breaks.
 *
 * A variant is an ES or TypeScript module whose default export is a `ControllerVariant`. It is
 * written in the controller API (`cluster.ts`, `action.ts`): it receives upstream's actions as
 * declarations (named conditions, named writes) and returns the controller's actions: upstream's,
 * changed or replaced. It imports only types from stsmc; what it needs at run time comes through
 * `VariantApi`.
 *
 * Variant code is checked as it runs: a guard that modifies its input, an effect that is not
 * deterministic or leaves a malformed state, and any exception are reported as one error naming
 * the variant and the action instance.
 */
import { InputError } from '../input/errors.js';
import { modify, only, validateAction, without, type ControllerAction } from './action.js';
import type { StsConfig } from './config.js';
import type { Family } from './family.js';
import { AVAILABLE, EXISTS, PHASE, Phase, POD_SIZE, Pvc, READY, Vol, type Layout, type StsState } from './state.js';

export type { Cluster, ClusterWrite } from './cluster.js';
export type { Condition, Conditions, ControllerAction } from './action.js';

export interface VariantApi {
  /** The configuration: `cfg.R` ordinals, `cfg.nodes` nodes, `cfg.parallel`, `cfg.rolling`... */
  readonly cfg: StsConfig;
  /** `when` without the named conditions: `{ ...without(a.when, 'predecessorsReady'), mine: ... }`. */
  readonly without: typeof without;
  /** Only the named conditions of `when`, in that order: `{ ...only(a.when, 'inRange', 'exists'), mine: ... }`. */
  readonly only: typeof only;
  /** `upstream` with the named actions changed: `modify(upstream, 'CtlCreate', (a) => ({ ...a, when: ... }))`. */
  readonly modify: typeof modify;
}

export interface ControllerVariant {
  readonly name: string;
  readonly description: string;
  /**
   * The variant treats nodes alike: no condition or write singles out a node by its name (`c.node(1)`),
   * so node symmetry reduction is sound for it. Without this, runs of the variant explore every
   * node renaming.
   */
  readonly nodesAlike?: boolean;
  /** The controller's actions; `upstream` are the built-in controller's (CtlCreate, CtlScaleDown...). */
  controller(api: VariantApi, upstream: readonly ControllerAction[]): readonly ControllerAction[];
}

export function variantApi(cfg: StsConfig): VariantApi {
  return { cfg, without, only, modify };
}

/** A variant's actions, validated; which of them are upstream's own declarations, unchanged. */
export function variantActions(variant: ControllerVariant, cfg: StsConfig, upstream: readonly ControllerAction[]): { action: ControllerAction; upstream: boolean }[] {
  let actions: readonly ControllerAction[];
  try {
    actions = shielded(variant.name, () => variant.controller(variantApi(cfg), upstream));
  } catch (e) {
    if (e instanceof VariantExit) throw e;
    throw new InputError(`controller variant '${variant.name}' failed to build its actions: ${(e as Error)?.message ?? String(e)}`);
  }
  if (!Array.isArray(actions)) throw new InputError(`controller variant '${variant.name}': controller() must return an array of controller actions`);
  const names = new Set<string>();
  return actions.map((a, k) => {
    const where = `controller variant '${variant.name}': action ${k}`;
    if (a && typeof (a as unknown as Family).guard === 'function') {
      throw new InputError(`${where} (${(a as unknown as Family).name}) is an action family with a guard function, the variant format before the controller API: declare it as { name, over, when: { condition: (c, i) => boolean, ... }, then: (w, i, c) => ... } (see "Writing a controller variant" in the README)`);
    }
    const action = validateAction(a, where);
    if (names.has(action.name)) throw new InputError(`${where}: duplicate action name '${action.name}'`);
    names.add(action.name);
    return { action, upstream: upstream.includes(action) };
  });
}

/** A variant's compiled family, wrapped so that misbehaviour is reported, not propagated. */
export function checked(variant: string, L: Layout, f: Family): Family {
  const fail = (a: number, b: number, what: string, e?: unknown): never => {
    const cause = e === undefined ? '' : `: ${(e as Error)?.message ?? String(e)}`;
    throw new InputError(`controller variant '${variant}': ${safeLabel(f, a, b)} ${what}${cause}`);
  };
  return {
    ...f,
    fairGroup: f.fairGroup ?? ((a: number, b: number) => f.label(a, b)),
    guard(s, a, b, why) {
      const before = s.slice();
      let ok: boolean;
      let again: boolean;
      try {
        // Twice: a guard that answers differently on the same state (randomness, a clock, state
        // kept between calls) would make exploration depend on luck, as a non-deterministic effect would.
        ok = shielded(variant, () => f.guard(s, a, b, why));
        again = shielded(variant, () => f.guard(s, a, b, why === undefined ? undefined : []));
      } catch (e) {
        if (e instanceof VariantExit) throw e;
        return fail(a, b, 'guard threw', e);
      }
      for (let k = 0; k < s.length; k++) if (s[k] !== before[k]) fail(a, b, 'guard modified the state it was given (guards must be pure)');
      if (typeof ok !== 'boolean') fail(a, b, `guard returned ${typeof ok}, not a boolean`);
      if (ok !== again) fail(a, b, 'guard is not deterministic (two evaluations on the same state differ)');
      return ok;
    },
    effect(t, a, b) {
      const twin = t.slice();
      try {
        shielded(variant, () => {
          f.effect(t, a, b);
          f.effect(twin, a, b);
        });
      } catch (e) {
        if (e instanceof VariantExit) throw e;
        fail(a, b, 'effect threw', e);
      }
      for (let k = 0; k < t.length; k++) if (t[k] !== twin[k]) fail(a, b, 'effect is not deterministic (two runs on the same state differ)');
      const bad = malformed(L, t);
      if (bad) fail(a, b, `effect produced a malformed state: ${bad}`);
    },
  };
}

/** A variant called `process.exit`: reported as it is, never wrapped into another message. */
export class VariantExit extends InputError {}

/**
 * Runs variant code with `process.exit` turned into an error naming the variant: a variant that
 * exits would otherwise end the run with its own exit code and no output, which reads as a pass.
 */
export function shielded<T>(variant: string, run: () => T): T {
  const exit = process.exit;
  process.exit = ((code?: number | string | null) => {
    throw new VariantExit(`controller variant '${variant}' called process.exit(${code ?? ''}): a variant must not end the run`);
  }) as typeof process.exit;
  try {
    return run();
  } finally {
    process.exit = exit;
  }
}

function safeLabel(f: Family, a: number, b: number): string {
  try {
    return f.label(a, b);
  } catch {
    return `${f.name}(${a},${b})`;
  }
}

/** Why a state is not one the reference model could be in, or null. */
export function malformed(L: Layout, t: StsState): string | null {
  for (let k = 0; k < L.size; k++) {
    const v = t[k]!;
    if (v > L.maxValues[k]!) return `byte ${k} holds ${v}, more than its maximum ${L.maxValues[k]}`;
  }
  for (let i = 0; i < L.R; i++) {
    const o = L.pod + i * POD_SIZE;
    if (t[o + EXISTS] === 0 && t.subarray(o, o + POD_SIZE).some((x) => x !== 0)) return `absent pod ${i} has leftover fields`;
    if (t[o + AVAILABLE] === 1 && !(t[o + READY] === 1 && t[o + PHASE] === Phase.Running)) return `pod ${i} is available but not Running and Ready`;
    const bound = t[L.pvc + i] !== Pvc.none && t[L.pvc + i] !== Pvc.pending;
    if (bound !== (t[L.vol + i] !== Vol.none)) return `claim ${i} and its volume disagree (a volume exists exactly when the claim is bound)`;
    if (L.hasAttach && t[L.inUse + i] === 1 && t[L.att + i] === 0) return `volume ${i} is in use on a node but attached to none`;
    if (L.hasLocalStorage && t[L.pvNode + i] !== 0 && t[L.pvc + i] === Pvc.none) return `volume ${i} is pinned to a node but has no claim`;
  }
  return null;
}
