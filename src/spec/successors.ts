/**
 * The StatefulSet model's successor enumeration, compiled for speed.
 *
 * `successors(s, emit)` runs once per explored state and asks every action instance (about ninety
 * with all faults and user operations) whether it is enabled. Written as one loop over all
 * instances calling `instance.family.guard(...)`, every guard call goes through one call site that
 * sees dozens of different functions: V8 cannot inline any of them, and the calls cost more than
 * the guards themselves. So this module *generates* the loop (as the packing module generates
 * encoders): one small function per family, each looping over that family's instances with its own
 * call sites for the family's guard and effect, which V8 then sees as monomorphic and inlines; and
 * one top-level function calling the family functions in order.
 *
 * The guards and effects are called exactly as before and remain the single definition of each
 * action: nothing here decides enabledness. The only additions are mechanical:
 *  - the state is copied once into an aligned scratch buffer, and each successor starts as a copy
 *    of it made a 32-bit word at a time (cheaper than `TypedArray.set` for a few dozen bytes);
 *  - environment families are skipped as a block when no budget is left (each of their guards
 *    starts with the budget condition anyway);
 *  - instances are visited in the same order as `Model.actions`, so exploration order, and hence
 *    which of several shortest counterexamples is found, does not change.
 *
 * Re-entrant calls (an `emit` callback asking for the successors of another state) fall back to a
 * plain loop, since the scratch buffers are busy.
 */
import type { Family } from './family.js';
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
  const copy = Array.from({ length: words }, (_, w) => `next32[${w}] = base32[${w}];`).join(' ');

  type FamilyRun = (emit: Emit) => void;
  const runs: FamilyRun[] = [];
  const environment: boolean[] = [];
  const slowInstances: { family: Family; a: number; b: number }[] = [];
  let k0 = 0;
  for (const family of families) {
    const A = Int32Array.from(family.instances, (p) => p[0] ?? 0);
    const B = Int32Array.from(family.instances, (p) => p[1] ?? 0);
    for (let j = 0; j < A.length; j++) slowInstances.push({ family, a: A[j]!, b: B[j]! });
    const charge = family.environment ? `next[${L.budget}] = base[${L.budget}] - 1;` : '';
    // A fresh Function per family: its call sites collect type feedback for this family alone.
    const source = `
      return function ${identifier(family.name)}(emit) {
        for (let j = 0; j < ${A.length}; j++) {
          const a = A[j], b = B[j];
          if (!fam.guard(base, a, b)) continue;
          ${copy}
          ${charge}
          fam.effect(next, a, b);
          emit(${k0} + j, next);
        }
      };`;
    runs.push(new Function('fam', 'A', 'B', 'base', 'base32', 'next', 'next32', source)(family, A, B, base, base32, next, next32) as FamilyRun);
    environment.push(family.environment);
    k0 += A.length;
  }

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

  const calls: string[] = [];
  const envCalls: string[] = [];
  runs.forEach((_, f) => (environment[f] ? envCalls : calls).push(`f${f}(emit);`));
  // Environment families come after system families in action order (`model.ts`); keep it so.
  const firstEnv = environment.indexOf(true);
  if (firstEnv >= 0 && environment.slice(firstEnv).some((e) => !e)) throw new Error('environment action families must come last');
  const top = `
    let busy = false;
    return function successors(s, emit) {
      if (busy) return slow(s, emit);
      busy = true;
      try {
        for (let i = 0; i < ${size}; i++) base[i] = s[i];
        ${calls.join('\n        ')}
        if (base[${L.budget}] !== 0) {
          ${envCalls.join('\n          ')}
        }
      } finally {
        busy = false;
      }
    };`;
  const names = runs.map((_, f) => `f${f}`);
  return new Function('base', 'slow', ...names, top)(base, slow, ...runs) as (s: StsState, emit: Emit) => void;
}

/** A family name as a JavaScript identifier (for readable profiles). */
function identifier(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[A-Za-z_$]/.test(id) ? id : `_${id}`;
}
