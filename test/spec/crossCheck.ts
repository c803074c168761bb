/** The cross-checks the long suites share: the naive rendering and the project model agree. */
import { expect } from 'vitest';
import { exploreAll, sts } from '../helpers.js';
import type { Model } from '../../src/explorer/model.js';
import { exploreIndependent, key, labelledSuccessors, type IndependentParams, type IState } from './independentModel.js';

export async function expectSameCounts(params: IndependentParams): Promise<void> {
  const mine = exploreIndependent(params);
  const r = await exploreAll(sts(params as Record<string, unknown>));
  expect(r.complete).toBe(true);
  expect({ distinct: r.distinct, generated: r.generated, depth: r.depth }).toEqual(mine);
}

/**
 * One state of each side, paired: the project model's successors by label, the naive rendering's,
 * and the labels only one side has (null when both have the same).
 */
export function pairedSuccessors(params: IndependentParams, model: Model<Uint8Array>, m: IState, t: Uint8Array) {
  const theirs = new Map<string, [number, Uint8Array]>();
  model.successors(t, (k, next) => void theirs.set(model.actions[k]!.label, [k, next.slice()]));
  const mine = labelledSuccessors(params, m);
  const onlyMine = mine.map((x) => x.label).filter((l) => !theirs.has(l));
  const onlyProject = [...theirs.keys()].filter((l) => !mine.some((x) => x.label === l));
  return { theirs, mine, diff: onlyMine.length + onlyProject.length > 0 ? { state: key(m), onlyMine, onlyProject } : null };
}
