import { describe, expect, it } from 'vitest';
import type { TransitionProperty } from '../../src/explorer/model.js';
import { sts } from '../helpers.js';
import { pairedSuccessors } from './crossCheck.js';
import { exploreIndependent, initialStates, key, noDataLoss, scaleDownKeepsData, shortestViolations, stableStorage, type IndependentParams, type IState } from './independentModel.js';

// ScaleDownKeepsData (src/spec/properties.ts) against the naive checker of the independent
// rendering, on every reachable state and step of both models walked together: the project's
// property must give the same verdict as the text's definition on each common step. The
// configurations mix whenScaled Delete with a user's own claim deletions (deletePVC), which must
// not count, and both reclaim policies, which must not matter.

const CONFIGS: [string, IndependentParams][] = [
  ['whenScaled Delete, scale, R 2', { whenScaled: 'Delete', userOps: ['scale'], R: 2 }],
  ['whenScaled Delete, scale + deletePVC, reclaim Retain, R 2', { whenScaled: 'Delete', userOps: ['scale', 'deletePVC'], reclaim: 'Retain', R: 2 }],
  ['whenScaled Delete, scale + deletePVC + deletePod, Parallel, R 2', { whenScaled: 'Delete', userOps: ['scale', 'deletePVC', 'deletePod'], policy: 'Parallel', R: 2 }],
  ['whenScaled Delete, running, scale, budget 3', { whenScaled: 'Delete', userOps: ['scale'], start: 'running', budget: 3 }],
  ['whenScaled Retain, scale + deletePVC, R 2', { userOps: ['scale', 'deletePVC'], R: 2 }],
];

/** Walks both models together from their initial states; per property, how many steps each side judges violated, and any disagreement. */
function compare(params: IndependentParams) {
  const model = sts(params as Record<string, unknown>);
  const prop = (name: string) => model.properties.find((p) => p.name === name) as TransitionProperty<Uint8Array>;
  const theirs = { ScaleDownKeepsData: prop('ScaleDownKeepsData'), NoDataLoss: prop('NoDataLoss'), StableStorage: prop('StableStorage') };
  const violations = { ScaleDownKeepsData: 0, NoDataLoss: 0, StableStorage: 0 };
  const disagreements: string[] = [];
  const mineInit = initialStates(params);
  const theirInit = model.initialStates();
  expect(mineInit.length).toBe(theirInit.length);
  const seen = new Set<string>();
  const queue: [IState, Uint8Array][] = [];
  // start: running has one initial state per placement, in the same order on both sides (section 3.1).
  mineInit.forEach((m, k) => {
    if (!seen.has(key(m))) (seen.add(key(m)), queue.push([m, theirInit[k]!]));
  });
  for (let q = 0; q < queue.length; q++) {
    const [m, t] = queue[q]!;
    const { theirs: succ, mine, diff } = pairedSuccessors(params, model, m, t);
    expect(diff).toBeNull();
    for (const { label, next } of mine) {
      const [k, tn] = succ.get(label)!;
      const naive = { ScaleDownKeepsData: scaleDownKeepsData(m, label), NoDataLoss: noDataLoss(params, m, next), StableStorage: stableStorage(m, next) };
      for (const name of Object.keys(naive) as (keyof typeof naive)[]) {
        if (!naive[name]) violations[name]++;
        if (theirs[name].holds(t, tn, k) !== naive[name]) disagreements.push(`${name}: ${key(m)} --${label}->`);
      }
      if (seen.has(key(next))) continue;
      seen.add(key(next));
      queue.push([next, tn]);
    }
  }
  expect(seen.size).toBe(exploreIndependent(params).distinct);
  return { violations, disagreements };
}

describe('ScaleDownKeepsData: the naive checker agrees with the project property on every reachable step', () => {
  it.each(CONFIGS)('%s', (name, params) => {
    const { violations, disagreements } = compare(params);
    expect(disagreements.slice(0, 3)).toEqual([]);
    // Not vacuous where whenScaled Delete can delete a claim holding data; never violated under Retain.
    if (params.whenScaled === 'Delete') expect(violations.ScaleDownKeepsData, name).toBeGreaterThan(0);
    else expect(violations.ScaleDownKeepsData, name).toBe(0);
    // The policy's deletions stay acceptable to NoDataLoss and StableStorage without a user's deletePVC.
    if (!params.userOps?.includes('deletePVC')) expect({ NoDataLoss: violations.NoDataLoss, StableStorage: violations.StableStorage }).toEqual({ NoDataLoss: 0, StableStorage: 0 });
  });

  it('the shortest violation is the same 8 steps on both renderings, with either reclaim policy', () => {
    for (const reclaim of ['Delete', 'Retain'] as const) {
      const v = shortestViolations({ whenScaled: 'Delete', userOps: ['scale'], reclaim });
      expect(v.ScaleDownKeepsData).toEqual(['CtlCreate(0)', 'Schedule(0,1)', 'KubeletRun(0)', 'Scale(0)', 'CtlMarkClaim(0)', 'CtlScaleDown(0)', 'KubeletTerminate(0)', 'GCClaim(0)']);
      expect(v.NoDataLoss).toBeNull();
    }
  });
});
