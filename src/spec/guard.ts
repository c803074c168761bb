/**
 * Guards from named conditions. Every action of the model, the controller's (`action.ts`) and the
 * other actors' (`family.ts`), declares its guard as an ordered list of named conditions; this
 * compiles the list into the one function that serves both exploration (stop at the first failing
 * condition) and explanation (`why`: every failing condition's name, in order), so the two cannot
 * drift apart.
 */
import type { Family } from './family.js';

export interface GuardShape {
  /** The arguments each condition is called with, as source over `s`, `a`, `b` and `k` (e.g. `s, a, b`). */
  readonly args: string;
  /** Indices of conditions to test first on the fast path (all must hold, so any order is correct). */
  readonly first?: readonly number[];
  /** Bound as `k` in the generated code (the controller's cluster view, pointed at `s` before the tests). */
  readonly view?: { at: unknown };
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * The guard for conditions `when`, named `name` in stack traces and profiles. One call site per
 * condition, unrolled, so that V8 sees each as monomorphic and inlines it (a loop over the
 * conditions would be one megamorphic site). The source is generated from numbers and the
 * (checked) identifier `name` only: condition names stay data.
 */
export function compileGuard(name: string, when: Readonly<Record<string, (...args: never[]) => boolean>>, shape: GuardShape): Family['guard'] {
  if (!IDENTIFIER.test(name)) throw new Error(`guard name ${JSON.stringify(name)} is not an identifier`);
  const names = Object.keys(when);
  const tests = Object.values(when);
  const params = tests.map((_, j) => `t${j}`);
  const order = [...(shape.first ?? []), ...tests.keys()].filter((j, n, all) => all.indexOf(j) === n);
  const call = (j: number) => `t${j}(${shape.args})`;
  const fast = order.map((j) => `if (!${call(j)}) return false;`).join('\n');
  const slow = tests.map((_, j) => `if (!${call(j)}) { why.push(names[${j}]); ok = false; }`).join('\n');
  const point = shape.view === undefined ? '' : 'if (k.at !== s) k.at = s;';
  // The family's name is part of the source, so that two guards of the same length are separate
  // scripts with separate type feedback (V8 caches compiled code by source).
  return new Function(
    'k',
    'names',
    ...params,
    `return function ${name}Guard(s, a, b, why) {
      ${point}
      if (why === undefined) {
        ${fast}
        return true;
      }
      let ok = true;
      ${slow}
      return ok;
    };`,
  )(shape.view, names, ...tests) as Family['guard'];
}
