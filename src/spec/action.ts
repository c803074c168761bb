/**
 * Controller actions as declarations: a name, the instances (one per ordinal, or one), the guard
 * as an ordered list of named conditions over the cluster (`cluster.ts`), and the effect as named
 * writes. From one declaration come exploration (the guard stops at the first failing condition),
 * explanation (`explain`, `replay`, "closest to acting": every failing condition's name, in order)
 * and the prefilter (the `screen` conditions, tested for every instance before any guard),
 * so none of them can drift from the others.
 *
 *     {
 *       name: 'CtlCreate',
 *       over: 'ordinal',
 *       when: {
 *         inRange: (c, i) => i < c.set.replicas,
 *         podAbsent: (c, i) => !c.pod(i).exists,
 *         ...
 *       },
 *       screen: ['inRange', 'podAbsent'],
 *       then: (w, i, c) => w.createPod(i, c.newRevision(i)),
 *     }
 *
 * Conditions are evaluated in the order written (object keys keep their insertion order) and must
 * be total: with an explanation asked for, every condition runs even after one has failed.
 */
import { InputError } from '../input/errors.js';
import type { Cluster, ClusterReader, ClusterWrite, ClusterWriter } from './cluster.js';
import { byOrdinal, range, type Family } from './family.js';
import { compileGuard } from './guard.js';

/** One named condition of a guard: true when it holds for instance `i`. */
export type Condition = (c: Cluster, i: number) => boolean;

/** A guard: conditions by name, in the order they are checked. */
export type Conditions = Readonly<Record<string, Condition>>;

export interface ControllerAction {
  readonly name: string;
  /** `ordinal`: one instance per ordinal, `CtlCreate(0)`, `CtlCreate(1)`...; `once`: one instance, `CtlAdvance`. */
  readonly over: 'ordinal' | 'once';
  /** Every condition must hold for the action to be enabled. */
  readonly when: Conditions;
  /**
   * Some of the conditions, named, that are cheap (a field read or two, no loop) and rarely all
   * hold, the most selective first: exploration tests them for every instance at once and skips
   * the action's guards when no instance passes. A speed hint only: all conditions must hold, so
   * any of them is a correct screen.
   */
  readonly screen?: readonly string[];
  /** The effect, as writes (`w`); `c` reads the state being written, before and after each write. */
  readonly then: (w: ClusterWrite, i: number, c: Cluster) => void;
}

/** Shared by every compiled action of one model: where conditions read and effects write. */
export interface ActionContext {
  readonly reader: ClusterReader;
  readonly writer: ClusterWriter;
  readonly R: number;
}

/** A well-formed declaration, or an input error naming `where` and what is wrong. */
export function validateAction(a: unknown, where: string): ControllerAction {
  const d = a as ControllerAction;
  if (d === null || typeof d !== 'object') throw new InputError(`${where} is not a controller action (an object with name, over, when, then)`);
  if (typeof d.name !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(d.name)) throw new InputError(`${where}: name must be an identifier, got ${JSON.stringify(d.name)}`);
  if (d.over !== 'ordinal' && d.over !== 'once') throw new InputError(`${where} (${d.name}): over must be 'ordinal' or 'once'`);
  if (d.when === null || typeof d.when !== 'object' || Array.isArray(d.when)) throw new InputError(`${where} (${d.name}): when must be an object of named conditions`);
  for (const [name, test] of Object.entries(d.when)) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new InputError(`${where} (${d.name}): condition name ${JSON.stringify(name)} must be an identifier`);
    if (typeof test !== 'function') throw new InputError(`${where} (${d.name}): condition '${name}' must be a function (c, i) => boolean`);
  }
  if (typeof d.then !== 'function') throw new InputError(`${where} (${d.name}): then must be a function (w, i, c) => void`);
  if (d.screen !== undefined) {
    if (!Array.isArray(d.screen)) throw new InputError(`${where} (${d.name}): screen must be a list of condition names`);
    for (const name of d.screen) if (!Object.hasOwn(d.when, name)) throw new InputError(`${where} (${d.name}): screen names '${name}', which is not one of its conditions (${Object.keys(d.when).join(', ')})`);
  }
  return d;
}

/** The explorer's action family for a declaration. */
export function compileAction(a: ControllerAction, ctx: ActionContext): Family {
  const names = Object.keys(a.when);
  const tests = Object.values(a.when);
  const { reader: k, writer: w } = ctx;
  // The fast path tests the screened conditions first, most selective first, so that most
  // instances are rejected after a read or two.
  const screen = (a.screen ?? []).map((name) => names.indexOf(name));
  const guard = compileGuard(a.name, a.when, { args: 'k, a', first: screen, view: k });

  const then = a.then;
  const effect: Family['effect'] = (t, i) => {
    w.at = t;
    k.at = t;
    then(w, i, k);
  };

  const instances = a.over === 'ordinal' ? range(ctx.R).map((i) => [i]) : [[]];
  const family: Family = {
    name: a.name,
    actor: 'controller',
    environment: false,
    instances,
    ...(a.over === 'ordinal' ? byOrdinal(a.name) : { nodeParam: -1, label: () => a.name, fairGroup: () => a.name }),
    guard,
    effect,
  };
  if (screen.length === 0) return family;
  // The prefilter: some instance passes the screened conditions. They are conditions of the guard
  // itself, so the prefilter can only reject an instance its guard rejects too.
  const params = tests.map((_, j) => `t${j}`);
  const any = instances.map(([i = 0]) => `(${screen.map((j) => `t${j}(k, ${i})`).join(' && ')})`).join(' || ');
  const fn = new Function('k', ...params, `return function ${a.name}Screen(s) { if (k.at !== s) k.at = s; return ${any}; };`)(
    k,
    ...tests,
  ) as (s: Uint8Array) => boolean;
  return { ...family, prefilter: { fn, guard, test: fn } };
}

/** `when` without the named conditions (to replace one: spread this, then add the new one). */
export function without(when: Conditions, ...drop: string[]): Conditions {
  for (const name of drop) if (!(name in when)) throw new InputError(`no condition '${name}' to drop (conditions: ${Object.keys(when).join(', ')})`);
  return Object.fromEntries(Object.entries(when).filter(([name]) => !drop.includes(name)));
}

/** Only the named conditions of `when`, in the order named (to build on a part of upstream's guard). */
export function only(when: Conditions, ...keep: string[]): Conditions {
  for (const name of keep) if (!(name in when)) throw new InputError(`no condition '${name}' to keep (conditions: ${Object.keys(when).join(', ')})`);
  return Object.fromEntries(keep.map((name) => [name, when[name]!]));
}

/**
 * `actions` with the named ones replaced by `change(action)`; the others as they are. Each name
 * must be an action's: a typo is an error, not a variant that silently changes nothing.
 */
export function modify(actions: readonly ControllerAction[], names: string | readonly string[], change: (a: ControllerAction) => ControllerAction): ControllerAction[] {
  const wanted = typeof names === 'string' ? [names] : names;
  for (const name of wanted) if (!actions.some((a) => a.name === name)) throw new InputError(`no action '${name}' to modify (actions: ${actions.map((a) => a.name).join(', ')})`);
  return actions.map((a) => (wanted.includes(a.name) ? change(a) : a));
}
