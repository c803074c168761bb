/** The cross-check both long count suites run: the naive rendering and the project model agree. */
import { expect } from 'vitest';
import { exploreAll, sts } from '../helpers.js';
import { exploreIndependent, type IndependentParams } from './independentModel.js';

export async function expectSameCounts(params: IndependentParams): Promise<void> {
  const mine = exploreIndependent(params);
  const r = await exploreAll(sts(params as Record<string, unknown>));
  expect(r.complete).toBe(true);
  expect({ distinct: r.distinct, generated: r.generated, depth: r.depth }).toEqual(mine);
}
