/**
 * Controller variants: a changed StatefulSet controller plugged into the same model. The rest of
 * the model (kubelet, scheduler, volumes, environment) stays the same, so `stsmc compare` shows
 * exactly which guarantees a controller change keeps or breaks.
 *
 * A variant is an ES or TypeScript module whose default export is a `ControllerVariant`. It gets
 * everything it needs through `VariantApi` (so it imports nothing from stsmc at run time, only
 * types), and returns the controller's action families: upstream's, wrapped or replaced.
 *
 * Variant code is checked as it runs: a guard that modifies its input, an effect that is not
 * deterministic or leaves a malformed state, and any exception are reported as one error naming
 * the variant and the action instance.
 */
import { InputError } from '../explorer/params.js';
import { forceRemove, removePVC, reqDelete } from './actions/effects.js';
import type { StsConfig } from './config.js';
import { fail, type Family } from './family.js';
import { AVAILABLE, Ctr, DELETING, EXISTS, NODE, NodeSt, PHASE, Phase, POD_SIZE, Pvc, READY, REV, Vol, type Layout, type Reads, type StsState } from './state.js';

export interface VariantApi {
  readonly cfg: StsConfig;
  /** Byte offsets of every variable (`L.replicas`, `L.pod + i * POD_SIZE`, `L.pvc + i`...). */
  readonly L: Layout;
  /** Read helpers: `rr(s, i)`, `allRRBelow(s, k)`, `exists(s, i)`, `podCount(s)`, `nodeOf(s, i)`. */
  readonly r: Reads;
  /** The guard style of `family.ts`: `if (!(cond) && fail(why, 'name')) return false;`. */
  readonly fail: typeof fail;
  readonly pod: {
    readonly EXISTS: number;
    readonly REV: number;
    readonly NODE: number;
    readonly PHASE: number;
    readonly READY: number;
    readonly DELETING: number;
    /** Available (only with `minReadySeconds`; always 0 otherwise). */
    readonly AVAILABLE: number;
    readonly SIZE: number;
  };
  readonly Phase: typeof Phase;
  readonly Ctr: typeof Ctr;
  readonly NodeSt: typeof NodeSt;
  readonly Pvc: typeof Pvc;
  readonly Vol: typeof Vol;
  /** `ReqDelete(i)`, `ForceRemove(i)`, `RemovePVC(i)` of the reference model. */
  readonly effects: {
    reqDelete(t: StsState, i: number): void;
    forceRemove(t: StsState, i: number): void;
    removePVC(t: StsState, i: number): void;
  };
}

export interface ControllerVariant {
  readonly name: string;
  readonly description: string;
  /** The controller's families; `upstream` are the reference model's (CtlCreate, CtlScaleDown...). */
  controller(api: VariantApi, upstream: readonly Family[]): readonly Family[];
}

export function variantApi(cfg: StsConfig, L: Layout, r: Reads): VariantApi {
  return {
    cfg,
    L,
    r,
    fail,
    pod: { EXISTS, REV, NODE, PHASE, READY, DELETING, AVAILABLE, SIZE: POD_SIZE },
    Phase,
    Ctr,
    NodeSt,
    Pvc,
    Vol,
    effects: {
      reqDelete: (t, i) => reqDelete(L, t, i),
      forceRemove: (t, i) => forceRemove(L, t, i),
      removePVC: (t, i) => removePVC(L, t, i),
    },
  };
}

/** A variant's families, validated and wrapped so that misbehaviour is reported, not propagated. */
export function variantFamilies(variant: ControllerVariant, api: VariantApi, upstream: readonly Family[]): Family[] {
  let families: readonly Family[];
  try {
    families = variant.controller(api, upstream);
  } catch (e) {
    throw new InputError(`controller variant '${variant.name}' failed to build its actions: ${(e as Error)?.message ?? String(e)}`);
  }
  if (!Array.isArray(families)) throw new InputError(`controller variant '${variant.name}': controller() must return an array of action families`);
  const names = new Set<string>();
  return families.map((f, k) => {
    const where = `controller variant '${variant.name}': family ${k} (${(f as Family)?.name ?? '?'})`;
    if (!f || typeof f.name !== 'string' || typeof f.guard !== 'function' || typeof f.effect !== 'function' || typeof f.label !== 'function' || !Array.isArray(f.instances)) {
      throw new InputError(`${where} is not an action family (name, instances, label, fairGroup, guard, effect)`);
    }
    if (names.has(f.name)) throw new InputError(`${where}: duplicate family name`);
    names.add(f.name);
    if (f.environment) throw new InputError(`${where}: a controller action cannot be an environment action`);
    return upstream.includes(f) ? f : checked(variant.name, api.L, f);
  });
}

function checked(variant: string, L: Layout, f: Family): Family {
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
      try {
        ok = f.guard(s, a, b, why);
      } catch (e) {
        return fail(a, b, 'guard threw', e);
      }
      for (let k = 0; k < s.length; k++) if (s[k] !== before[k]) fail(a, b, 'guard modified the state it was given (guards must be pure)');
      if (typeof ok !== 'boolean') fail(a, b, `guard returned ${typeof ok}, not a boolean`);
      return ok;
    },
    effect(t, a, b) {
      const twin = t.slice();
      try {
        f.effect(t, a, b);
        f.effect(twin, a, b);
      } catch (e) {
        fail(a, b, 'effect threw', e);
      }
      for (let k = 0; k < t.length; k++) if (t[k] !== twin[k]) fail(a, b, 'effect is not deterministic (two runs on the same state differ)');
      const bad = malformed(L, t);
      if (bad) fail(a, b, `effect produced a malformed state: ${bad}`);
    },
  };
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
    if ((t[L.pvc + i] === Pvc.none) !== (t[L.vol + i] === Vol.none)) return `claim ${i} and its volume disagree (a volume exists exactly when the claim does)`;
    if (L.hasAttach && t[L.inUse + i] === 1 && t[L.att + i] === 0) return `volume ${i} is in use on a node but attached to none`;
  }
  return null;
}
