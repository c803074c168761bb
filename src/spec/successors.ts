/**
 * The StatefulSet model's successor enumeration, compiled for speed.
 *
 * `successors(s, emit)` runs once per explored state and asks every action instance (about ninety
 * with all faults and user operations) whether it is enabled. Written as one loop over all
 * instances calling `instance.family.guard(...)`, every guard call goes through one call site that
 * sees dozens of different functions: V8 cannot inline any of them, and the calls cost more than
 * the guards themselves. So this module *generates* the enumeration (as the packing module
 * generates encoders):
 *
 *  - one small function per family, unrolled over the family's instances with their parameters as
 *    constants, each calling the family's guard and effect from its own call sites, which V8 sees
 *    as monomorphic and inlines. (One function for all families would be smaller still in calls,
 *    but every rarely enabled action in it would throw the whole function out of optimised code
 *    the first time it fires: per-family functions keep those deoptimisations local.)
 *  - one top-level function calling the family functions in order, each behind its family's
 *    prefilter when it has one (`Family.prefilter`: a cheap necessary condition, one or two bytes
 *    per ordinal or node, evaluated inline), and the environment families as a block behind the
 *    budget (each of their guards starts with the budget condition anyway).
 *
 * The guards and effects are called exactly as before and remain the single definition of each
 * action: a prefilter only skips guards that would all return false, and the test suite checks
 * that on every reachable state of several configurations. Instances are visited in the order of
 * `Model.actions`, so exploration order, and hence which of several shortest counterexamples is
 * found, does not change.
 *
 * Each successor starts as a copy of the state made a 32-bit word at a time (cheaper than
 * `TypedArray.set` for a few dozen bytes): the explorer's scratch states are allocated padded to a
 * word multiple (`alignedState`), other states are first copied into such a buffer. Re-entrant
 * calls (an `emit` callback asking for the successors of another state) fall back to a plain loop,
 * since the scratch buffers are busy.
 */
import { isPrefilterOf, type Family } from './family.js';
import type { Layout, StsState } from './state.js';

export type Emit = (action: number, next: StsState) => void;

export function compileSuccessors(families: readonly Family[], L: Layout): (s: StsState, emit: Emit) => void {
  const size = L.size;
  const words = Math.ceil(size / 4);
  const baseBuf = new ArrayBuffer(words * 4);
  const nextBuf = new ArrayBuffer(words * 4);
  const base = new Uint8Array(baseBuf, 0, size);
  const base32 = new Int32Array(baseBuf);
  const next = new Uint8Array(nextBuf, 0, size);
  const next32 = new Int32Array(nextBuf);
  const copy = Array.from({ length: words }, (_, w) => `next32[${w}] = s32[${w}];`).join(' ');

  type FamilyRun = (s: StsState, s32: Int32Array, emit: Emit) => void;
  const runs: FamilyRun[] = [];
  const sys: string[] = [];
  const env: string[] = [];
  const slowInstances: { family: Family; a: number; b: number }[] = [];
  let k = 0;
  families.forEach((family, f) => {
    const charge = family.environment ? `next[${L.budget}] = s[${L.budget}] - 1;` : '';
    const lines: string[] = [];
    for (const p of family.instances) {
      const a = p[0] ?? 0;
      const b = p[1] ?? 0;
      slowInstances.push({ family, a, b });
      lines.push(`if (fam.guard(s, ${a}, ${b})) { ${copy} ${charge} fam.effect(next, ${a}, ${b}); emit(${k}, next); }`);
      k++;
    }
    // A prefilter counts only if it was made for this very guard (a variant may replace the guard
    // of a copied family object, and with it what the prefilter promised). An expression is tested
    // inline before the family's function is called; a function prefilter (declared controller
    // actions derive theirs) is called first thing inside the family's function, whose own
    // inlining budget then covers it and the conditions it calls.
    const pre = family.prefilter && isPrefilterOf(family.prefilter, family) ? family.prefilter : undefined;
    const screen = pre?.expr === undefined && pre?.fn ? 'if (!screen(s)) return;' : '';
    // A fresh Function per family: its call sites collect type feedback for this family alone.
    const source = `return function ${identifier(family.name)}(s, s32, emit) {\n${screen}\n${lines.join('\n')}\n};`;
    runs.push(new Function('fam', 'screen', 'next', 'next32', source)(family, pre?.fn, next, next32) as FamilyRun);
    const call = `f${f}(s, s32, emit);`;
    (family.environment ? env : sys).push(pre?.expr !== undefined ? `if (${pre.expr}) ${call}` : call);
  });
  // Environment families come after system families in action order (`model.ts`); keep it so.
  const environment = families.map((f) => f.environment);
  const firstEnv = environment.indexOf(true);
  if (firstEnv >= 0 && environment.slice(firstEnv).some((e) => !e)) throw new Error('environment action families must come last');

  // The slow path, for re-entrant calls: the same guards and effects, one copy per successor.
  const slow = (s: StsState, emit: Emit) => {
    const t = new Uint8Array(size);
    for (let k = 0; k < slowInstances.length; k++) {
      const { family, a, b } = slowInstances[k]!;
      if (family.environment && s[L.budget] === 0) continue;
      if (!family.guard(s, a, b)) continue;
      t.set(s);
      if (family.environment) t[L.budget] = s[L.budget]! - 1;
      family.effect(t, a, b);
      emit(k, t);
    }
  };

  const copyIn = Array.from({ length: size }, (_, i) => `base[${i}] = s[${i}];`).join(' ');
  // The state is read in place when its buffer can be viewed as words (the explorer's scratch
  // states); the view is kept for the next call, which is nearly always on the same state object.
  const top = `
    let busy = false;
    let lastS = null;
    let lastS32 = null;
    return function successors(s, emit) {
      if (busy) return slow(s, emit);
      let s32;
      if (s === lastS) s32 = lastS32;
      else if ((s.byteOffset & 3) === 0 && s.buffer.byteLength - s.byteOffset >= ${words * 4}) {
        s32 = new Int32Array(s.buffer, s.byteOffset, ${words});
        lastS = s;
        lastS32 = s32;
      } else {
        ${copyIn}
        s = base;
        s32 = base32;
      }
      busy = true;
      try {
        ${sys.join('\n        ')}
        if (s[${L.budget}] !== 0) {
          ${env.join('\n          ')}
        }
      } finally {
        busy = false;
      }
    };`;
  const names = runs.map((_, f) => `f${f}`);
  return new Function('base', 'base32', 'slow', ...names, top)(base, base32, slow, ...runs) as (s: StsState, emit: Emit) => void;
}

/** A working state whose buffer `compileSuccessors` can read as 32-bit words without copying. */
export function alignedState(L: Layout): StsState {
  return new Uint8Array(new ArrayBuffer(Math.ceil(L.size / 4) * 4), 0, L.size);
}

/** A family name as a JavaScript identifier (for readable profiles). */
function identifier(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[A-Za-z_$]/.test(id) ? id : `_${id}`;
}
