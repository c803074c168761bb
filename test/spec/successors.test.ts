import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explorer/bfs.js';
import type { Model } from '../../src/explorer/model.js';
import { StoreView } from '../../src/explorer/store.js';
import { cond, withPrefilter, type Family } from '../../src/spec/family.js';
import { loadModelAsync } from '../../src/registry.js';
import { resolveVariantPath } from '../../src/spec/variantLoader.js';
import { featureConfigs, referenceConfigs, sts, walk } from '../helpers.js';

// `successors` is generated code with family prefilters (src/spec/successors.ts); `apply` calls each
// guard directly. They must agree on every state: same enabled instances, in the same order, with
// the same successor states. This is what makes prefilters safe: one that wrongly skipped a family
// would drop a transition here.

function words<S>(model: Model<S>, s: S): number[] {
  const out = new Uint32Array(model.stateWords);
  model.encode(s, out, 0);
  return Array.from(out);
}

async function forEachReachable<S>(model: Model<S>, visit: (s: S) => void): Promise<void> {
  const r = await explore(model, { check: [] });
  const view = new StoreView(r.store);
  const s = model.scratch();
  for (let id = 0; id < r.distinct; id++) {
    model.decode(view.states, id * model.stateWords, s);
    visit(s);
  }
}

function bySuccessors<S>(model: Model<S>, s: S): [number, number[]][] {
  const out: [number, number[]][] = [];
  model.successors(s, (k, next) => out.push([k, words(model, next)]));
  return out;
}

function byGuards<S>(model: Model<S>, s: S): [number, number[]][] {
  const out: [number, number[]][] = [];
  for (let k = 0; k < model.actions.length; k++) {
    const next = model.apply(s, k);
    if (next !== null) out.push([k, words(model, next)]);
  }
  return out;
}

const walks = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 60 });

describe('generated successors agree with the guards', () => {
  // Every prefilter is a necessary condition of its family's guards (declared controller actions
  // derive theirs from their own conditions; the other families' are written by hand): the
  // generated successors, which skip a family whose prefilter fails, equal the guards' on every
  // reachable state of the reference profile, of each feature parameter and of every shipped variant.
  it('on every reachable state of each feature and each shipped variant', async () => {
    const features: Record<string, unknown>[] = [
      { policy: 'Parallel', userOps: ['scale'], budget: 2 },
      { strategy: 'OnDelete', start: 'running', userOps: ['updateTemplate', 'deletePod'], budget: 2 },
      { whenScaled: 'Delete', userOps: ['scale', 'deletePVC'], budget: 2 },
      { maxUnavailable: 2, start: 'running', userOps: ['updateTemplate', 'scale'], faults: ['podBreak'], budget: 2 },
      { minReadySeconds: 1, start: 'running', userOps: ['updateTemplate', 'scale'], budget: 2 },
      { whenDeleted: 'Delete', userOps: ['deleteStatefulSet', 'scale'], faults: ['podEvict'], budget: 2 },
      // Fidelity II: bad revisions and rollback, stale controller reads, the kubelet's stale relist.
      { rollback: true, badRevs: [1], badMode: 'pending', manualFix: true, start: 'running', userOps: ['updateTemplate', 'revertTemplate'], budget: 2, R: 2 },
      { rollback: true, badRevs: [1], policy: 'Parallel', muBudget: 'v1.35.0', start: 'running', userOps: ['updateTemplate', 'revertTemplate'], budget: 2, R: 2 },
      { staleReads: true, readOwnWrites: true, faults: ['podBreak'], userOps: ['scale', 'updateTemplate'], budget: 2, R: 2 },
      { staleKubelet: true, faults: ['kubeletRestart'], userOps: ['deletePod'], start: 'running', budget: 2, R: 2 },
      { onDeleteCompletes: true, strategy: 'OnDelete', userOps: ['updateTemplate', 'deletePod'], start: 'running', budget: 2, R: 2 },
      // Node-local storage with the cloud node lifecycle controller.
      { storage: 'local', cloudNodeDelete: true, faults: ['nodeCrash', 'podEvict'], recovery: 'permanent', userOps: ['deletePVC', 'scale'], budget: 2, R: 2 },
      { provisioning: 'static', whenScaled: 'Delete', userOps: ['deletePVC', 'scale', 'deletePod'], budget: 3, R: 2 },
    ];
    // npm test takes every third feature configuration; the long suite all of them.
    for (const params of process.env.STSMC_LONG ? features : features.filter((_, k) => k % 3 === 0)) {
      const model = sts(params);
      await forEachReachable(model, (s) => expect(bySuccessors(model, s)).toEqual(byGuards(model, s)));
    }
    // And every shipped variant (npm test: every other one).
    const variants = ['no-ready-wait', 'max-unavailable', 'delete-pvc-with-pod', 'fence-before-replace', 'wait-for-detach', 'delete-stuck-pending'];
    for (const name of process.env.STSMC_LONG ? variants : variants.filter((_, k) => k % 2 === 1)) {
      const params = { faults: ['nodePartition', 'podEvict'], userOps: ['forceDeletePod', 'scale', 'updateTemplate'], budget: 1, start: 'running', attach: name === 'wait-for-detach' ? 'rwo' : 'none', rollback: name === 'delete-stuck-pending' };
      const model = (await loadModelAsync({ model: 'statefulset', params, controller: resolveVariantPath(name)! })) as Model<Uint8Array>;
      await forEachReachable(model, (s) => expect(bySuccessors(model, s)).toEqual(byGuards(model, s)));
    }
  });

  it('on every reachable state of the reference configurations', async () => {
    const configs: Record<string, unknown>[] = [
      {},
      { faults: 'all', userOps: 'all', budget: 1 },
      { faults: ['nodeCrash'], userOps: ['deleteNode'], budget: 2 },
      // Volume attachment: its own families (attach/detach controller, unmount, out-of-service GC)
      // and the changed kubelet guards have prefilters of their own.
      { attach: 'rwop', forceDetach: 'disabled', faults: ['nodePartition', 'podEvict'], userOps: ['forceDeletePod', 'taintOutOfService', 'deleteNode'], budget: 2, start: 'running' },
      // The largest (about 2 s): the long suite only; npm test meets attachment in the one above.
      { attach: 'rwo', faults: 'all', userOps: 'all,taintOutOfService', budget: 1 },
    ];
    for (const params of process.env.STSMC_LONG ? configs : configs.slice(0, -1)) {
      const model = sts(params);
      const r = await explore(model, { check: [] });
      const view = new StoreView(r.store);
      const s = model.scratch();
      for (let id = 0; id < r.distinct; id++) {
        model.decode(view.states, id * model.stateWords, s);
        expect(bySuccessors(model, s)).toEqual(byGuards(model, s));
      }
    }
  });

  it.each([
    ['the reference profile', referenceConfigs],
    ['every feature, volume attachment included', featureConfigs],
  ] as const)('on states along random walks of random configurations: %s (fast-check)', (_name, configs) => {
    fc.assert(
      fc.property(configs, walks, (params, choices) => {
        const model = sts(params);
        for (const s of walk(model, choices)) expect(bySuccessors(model, s)).toEqual(byGuards(model, s));
      }),
      { numRuns: process.env.STSMC_LONG ? 150 : 40 },
    );
  });

  it('on states that are not word-aligned, and when called from inside its own callback', () => {
    const model = sts({ faults: 'all', userOps: 'all', budget: 2 });
    const [init] = model.initialStates();
    // A state in the middle of a larger buffer, at an odd offset.
    const big = new Uint8Array(init!.length + 3);
    const odd = big.subarray(1, 1 + init!.length);
    odd.set(init!);
    expect(bySuccessors(model, odd)).toEqual(byGuards(model, init!));
    // Re-entrant: the successors of each successor, asked for while the outer call is running.
    const nested: [number, number[]][][] = [];
    model.successors(init!, (_k, next) => nested.push(bySuccessors(model, next)));
    const expected = byGuards(model, init!).map(([k]) => byGuards(model, model.apply(init!, k)!));
    expect(nested).toEqual(expected);
  });

  it('prefilter expressions mean what they say', () => {
    const family = { guard: () => false } as unknown as Family;
    const test = (expr: string, bytes: number[]) => withPrefilter(family, expr).prefilter!.test(Uint8Array.from(bytes));
    expect(test(cond.ne(0, 1), [1])).toBe(false);
    expect(test(cond.ne(0, 1), [2])).toBe(true);
    expect(test(cond.eq(1, 3), [0, 3])).toBe(true);
    expect(test(cond.differ(0, 1), [2, 2])).toBe(false);
    expect(test(cond.gt(0, 1), [1])).toBe(false);
    expect(test(cond.le(0, 1), [1])).toBe(true);
    expect(test(cond.and(cond.eq(0, 1), cond.eq(1, 1)), [1, 0])).toBe(false);
    expect(test(cond.or(cond.eq(0, 1), cond.eq(1, 1)), [0, 1])).toBe(true);
    expect(test(cond.some([0, 1], (i) => cond.eq(i, 5)), [0, 0])).toBe(false);
    expect(test(cond.never, [0])).toBe(false);
    expect(() => cond.eq(0.5, 1)).toThrow();
  });
});
