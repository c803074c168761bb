/**
 * An action family of the StatefulSet model (`CtlCreate`, `Schedule`, ...): a guard made of named
 * conditions and an effect, over up to two integer parameters.
 *
 * Families are declared with their guard as an ordered list of named conditions (`family`):
 *
 *     family({ name: 'PodHeal', ..., when: { broken: (s, i) => s[L.broken + i] === 1 }, effect })
 *
 * and compiled (`guard.ts`) into one guard that serves exploration (without `why`: the first
 * failing condition returns `false` at once) and explanation (with `why`, for replay and "why is
 * this disabled?": every failing condition's name is collected), so the two cannot drift apart.
 * Conditions must therefore be total: with an explanation asked for, each runs even after an
 * earlier one has failed.
 */
import type { Actor } from '../explorer/model.js';
import type { StsConfig } from './config.js';
import { compileGuard } from './guard.js';
import type { Layout, Reads, StsState } from './state.js';

export interface Family {
  readonly name: string;
  readonly actor: Actor;
  /** Environment actions (faults, user operations) cost one unit of budget and are never fair. */
  readonly environment: boolean;
  /** Parameter tuples of the instances, e.g. `[[0], [1], [2]]` or `[[0, 0], [0, 1], ...]`. */
  readonly instances: readonly (readonly number[])[];
  /** Which parameter is a node index (shown as the node's name, index + 1), or -1. */
  readonly nodeParam: number;
  label(a: number, b: number): string;
  /** Fairness group: instances in one group are fair together (e.g. `Schedule` per ordinal). */
  fairGroup(a: number, b: number): string;
  guard(s: StsState, a: number, b: number, why?: string[]): boolean;
  /** Applies the effect to `t`, a copy of the pre-state (budget already charged for environment actions). */
  effect(t: StsState, a: number, b: number): void;
  /**
   * Optional, for speed only: a cheap necessary condition for *some* instance of the family being
   * enabled (see `withPrefilter`). Exploration skips the family's guards in states where it is
   * false; it never decides that an instance is enabled.
   */
  readonly prefilter?: Prefilter;
}

/**
 * A family-level prefilter: a boolean expression over the state `s`, true when some instance may
 * be enabled, built with `cond` from numeric offsets and constants only, so that generated code
 * can evaluate it inline. It belongs to
 * one guard function: if a family object is copied with a different guard, its prefilter no longer
 * applies (`isPrefilterOf`).
 */
export interface Prefilter {
  /** Inline source over `s` (built with `cond`), or else `fn`, a function the generated code calls. */
  readonly expr?: string;
  readonly fn?: (s: StsState) => boolean;
  readonly guard: Family['guard'];
  /** The expression as a function (tests check it is a necessary condition of the guards). */
  readonly test: (s: StsState) => boolean;
}

/** The family with a prefilter: `expr` must be false only in states where every guard is false. */
export function withPrefilter(f: Family, expr: string): Family {
  // Generated from numbers only (see `cond`), so this is not an injection surface.
  const test = new Function('s', `return !!(${expr});`) as (s: StsState) => boolean;
  return { ...f, prefilter: { expr, guard: f.guard, test } };
}

export function isPrefilterOf(p: Prefilter, family: Family): boolean {
  return p.guard === family.guard;
}

const int = (x: number): number => {
  if (!Number.isInteger(x)) throw new Error(`prefilter operand ${x} is not an integer`);
  return x;
};

/** Builders of prefilter expressions: byte tests joined by `and` / `or`. */
export const cond = {
  eq: (at: number, v: number): string => `s[${int(at)}] === ${int(v)}`,
  ne: (at: number, v: number): string => `s[${int(at)}] !== ${int(v)}`,
  /** The bytes at `a` and `b` differ. */
  differ: (a: number, b: number): string => `s[${int(a)}] !== s[${int(b)}]`,
  /** The byte at `at` is greater than `v` (e.g. `replicas > i`: ordinal `i` is in range). */
  gt: (at: number, v: number): string => `s[${int(at)}] > ${int(v)}`,
  /** The byte at `at` is at most `v` (e.g. `replicas <= i`: ordinal `i` is condemned). */
  le: (at: number, v: number): string => `s[${int(at)}] <= ${int(v)}`,
  and: (...cs: string[]): string => (cs.length === 0 ? 'true' : `(${cs.map((c) => `(${c})`).join(' && ')})`),
  or: (...cs: string[]): string => (cs.length === 0 ? 'false' : `(${cs.map((c) => `(${c})`).join(' || ')})`),
  /** Some element of `xs` satisfies `f`. */
  some: <T>(xs: readonly T[], f: (x: T) => string): string => cond.or(...xs.map(f)),
  never: 'false',
};

/** One named condition of a family's guard, over the state and the instance's parameters. */
export type StateCondition = (s: StsState, a: number, b: number) => boolean;

/** A family as declared: its guard as named conditions, in the order they are checked. */
export interface FamilyDeclaration extends Omit<Family, 'guard' | 'prefilter'> {
  readonly when: Readonly<Record<string, StateCondition>>;
}

/** The family for a declaration, its guard compiled from the conditions. */
export function family(d: FamilyDeclaration): Family {
  const { when, ...rest } = d;
  return { ...rest, guard: compileGuard(d.name, when, { args: 's, a, b' }) };
}

/** Everything a family builder needs. */
export interface FamilyContext {
  readonly cfg: StsConfig;
  readonly L: Layout;
  readonly r: Reads;
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
export const ordinals = (ctx: FamilyContext): number[][] => range(ctx.cfg.R).map((i) => [i]);
export const nodeIndices = (ctx: FamilyContext): number[][] => range(ctx.cfg.nodes).map((n) => [n]);
export const ordinalNodePairs = (ctx: FamilyContext): number[][] =>
  range(ctx.cfg.R).flatMap((i) => range(ctx.cfg.nodes).map((n) => [i, n]));

/** Helpers for the common label shapes. */
export const byOrdinal = (name: string) => ({
  label: (i: number) => `${name}(${i})`,
  fairGroup: (i: number) => `${name}(${i})`,
  nodeParam: -1,
});
export const byNode = (name: string) => ({
  label: (n: number) => `${name}(${n + 1})`,
  fairGroup: (n: number) => `${name}(${n + 1})`,
  nodeParam: 0,
});
