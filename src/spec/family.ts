/**
 * An action family of the StatefulSet model (`CtlCreate`, `Schedule`, ...): a guard made of named
 * conditions and an effect, over up to two integer parameters.
 *
 * Guards are written in one style so that the same code serves exploration and explanation:
 *
 *     if (!(i < s[L.replicas]) && fail(why, 'inRange')) return false;
 *
 * Without `why` (the hot path) the first failing condition returns `false` at once. With `why`
 * (replay, "why is this disabled?") every failing condition's name is collected and evaluation
 * goes on, so the explanation is produced by the guard itself and cannot drift from it.
 */
import type { Actor } from '../explorer/model.js';
import type { StsConfig } from './config.js';
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
}

/** Records a failed condition; returns `true` when the guard should stop (no explanation asked). */
export function fail(why: string[] | undefined, condition: string): boolean {
  if (why === undefined) return true;
  why.push(condition);
  return false;
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
