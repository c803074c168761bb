import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore, type Exploration } from '../../src/explorer/bfs.js';
import { buildStateGraph, buildStateGraphAsync, GRAPH_CHUNK, NO_TARGET } from '../../src/explorer/graph.js';
import { checkLiveness, checkLivenessAsync, isStutter, type Lasso, type LivenessVerdict } from '../../src/explorer/liveness.js';
import type { LivenessForm, Model } from '../../src/explorer/model.js';
import { WorkerPool } from '../../src/explorer/pool.js';
import { loadModel, modelRef } from '../../src/registry.js';
import { sts } from '../helpers.js';
import {
  boundedLassoViolates,
  bruteForceViolated,
  lassoProblems,
  tinyModel,
  type Fair,
  type Tiny,
  type TinyProperty,
  type TinySpec,
} from './tinyModels.js';

async function check<S>(model: Model<S>, names?: string[]): Promise<Map<string, LivenessVerdict<S>>> {
  const r = await explore(model, { check: [] });
  return checkLiveness(model, r, names ?? model.properties.filter((p) => p.kind === 'liveness').map((p) => p.name));
}

/** Verdicts with their lassos as action labels, to compare two runs. */
function summary(m: Map<string, LivenessVerdict<unknown>>) {
  return [...m.values()].map((v) => ({
    verdict: v.verdict,
    prefix: v.lasso ? labels(v.lasso.prefix) : null,
    end: v.lasso ? (isStutter(v.lasso) ? 'stutter' : labels(v.lasso.loop.steps)) : null,
  }));
}

async function checkTiny(spec: TinySpec): Promise<Map<string, LivenessVerdict<Tiny>>> {
  const model = tinyModel(spec);
  const verdicts = await check(model);
  // Every counterexample must replay, be fair, and violate its property.
  for (const p of spec.properties) {
    const v = verdicts.get(p.name)!;
    if (v.lasso) expect(lassoProblems(spec, model, p, v.lasso), p.name).toEqual([]);
  }
  return verdicts;
}

const labels = <S>(steps: readonly { action: string | null }[]) => steps.map((s) => s.action);
const loopOf = <S>(lasso: Lasso<S> | undefined) => {
  if (!lasso || isStutter(lasso)) throw new Error('expected a loop');
  return lasso.loop;
};
const stutterOf = <S>(lasso: Lasso<S> | undefined) => {
  if (!lasso || !isStutter(lasso)) throw new Error('expected a stutter');
  return lasso.stutter;
};

/** 0 <-> 1 by Tick/Tock (weakly fair); Exit leaves 0 for the goal 2, only from 0. */
const retry = (exit: Fair): TinySpec => ({
  states: 3,
  initial: [0],
  actions: [
    { name: 'Tick', fairness: 'weak', edges: [[0, 1]] },
    { name: 'Tock', fairness: 'weak', edges: [[1, 0]] },
    { name: 'Exit', fairness: exit, edges: [[0, 2]] },
  ],
  properties: [
    { name: 'Done', form: 'eventually', p: [2] },
    { name: 'StaysDone', form: 'eventuallyAlways', p: [2] },
    { name: 'OftenDone', form: 'alwaysEventually', p: [2] },
    { name: 'TryLeadsToDone', form: 'leadsTo', p: [1], q: [2] },
  ],
});

describe('liveness on hand-made models', () => {
  it('an exit enabled only every other step: violated under weak fairness, with a loop', async () => {
    const v = await checkTiny(retry('weak'));
    for (const name of ['Done', 'StaysDone', 'OftenDone', 'TryLeadsToDone']) expect(v.get(name)!.verdict, name).toBe('violated');
    const done = v.get('Done')!;
    expect(labels(done.lasso!.prefix)).toEqual([null]);
    const loop = loopOf(done.lasso);
    expect(labels(loop.steps)).toEqual(['Tick', 'Tock']);
    expect(loop.backTo).toBe(0);
    // Leads-to: the prefix must reach a P state (1) first; the loop then stays out of Q.
    const lt = v.get('TryLeadsToDone')!;
    expect(labels(lt.lasso!.prefix)).toEqual([null, 'Tick']);
    expect(labels(loopOf(lt.lasso).steps)).toEqual(['Tock', 'Tick']);
  });

  it('the same exit holds under strong fairness', async () => {
    const v = await checkTiny(retry('strong'));
    for (const name of ['Done', 'StaysDone', 'OftenDone', 'TryLeadsToDone']) expect(v.get(name)!.verdict, name).toBe('holds');
  });

  it('an unfair exit is never forced', async () => {
    const v = await checkTiny(retry('none'));
    expect(v.get('Done')!.verdict).toBe('violated');
  });

  it('a livelock: a busy cycle that is not stuttering, and fairness per group', async () => {
    // Ping/Pong forever; GiveUp(i) leaves state i for the goal 2.
    const spec = (group: boolean): TinySpec => ({
      states: 3,
      initial: [0],
      actions: [
        { name: 'Ping', fairness: 'weak', edges: [[0, 1]] },
        { name: 'Pong', fairness: 'weak', edges: [[1, 0]] },
        { name: 'GiveUp(0)', fairness: 'weak', group: group ? 'GiveUp' : 'GiveUp(0)', edges: [[0, 2]] },
        { name: 'GiveUp(1)', fairness: 'weak', group: group ? 'GiveUp' : 'GiveUp(1)', edges: [[1, 2]] },
      ],
      properties: [{ name: 'Done', form: 'eventually', p: [2] }],
    });
    // Each instance fair on its own: each is disabled every other step, so the cycle is fair.
    const apart = await checkTiny(spec(false));
    expect(apart.get('Done')!.verdict).toBe('violated');
    expect(labels(loopOf(apart.get('Done')!.lasso).steps)).toEqual(['Ping', 'Pong']);
    // Fair as a group: "some GiveUp" is enabled all along the cycle, so it must be taken.
    const together = await checkTiny(spec(true));
    expect(together.get('Done')!.verdict).toBe('holds');
  });

  it('stuttering: a state where only unfair actions are enabled, with the disabled fair actions and why', async () => {
    const spec: TinySpec = {
      states: 3,
      initial: [0],
      actions: [
        { name: 'Go', fairness: 'none', edges: [[0, 1]] },
        { name: 'Finish', fairness: 'weak', edges: [[1, 2]] },
      ],
      properties: [
        { name: 'Finished', form: 'eventually', p: [2] },
        { name: 'GoLeadsToFinish', form: 'leadsTo', p: [1], q: [2] },
      ],
    };
    const v = await checkTiny(spec);
    const fin = v.get('Finished')!;
    expect(fin.verdict).toBe('violated');
    expect(labels(fin.lasso!.prefix)).toEqual([null]);
    const st = stutterOf(fin.lasso);
    expect(st.state[0]).toBe(0);
    expect(st.disabled).toEqual([{ label: 'Finish', actionIndex: 1, failing: ['FinishNotEnabledIn0'] }]);
    // Once Go happened, Finish is weakly fair and enabled: it happens.
    expect(v.get('GoLeadsToFinish')!.verdict).toBe('holds');
  });

  it('a terminal state is a fair stutter; the four forms differ', async () => {
    // 0 -> 1 -> 2 (terminal), all weakly fair. P holds in 1 only.
    const spec: TinySpec = {
      states: 3,
      initial: [0],
      actions: [
        { name: 'A', fairness: 'weak', edges: [[0, 1]] },
        { name: 'B', fairness: 'weak', edges: [[1, 2]] },
      ],
      properties: [
        { name: 'EvP', form: 'eventually', p: [1] },
        { name: 'EvAlwaysP', form: 'eventuallyAlways', p: [1] },
        { name: 'InfOftenP', form: 'alwaysEventually', p: [1] },
        { name: 'ZeroLeadsToTwo', form: 'leadsTo', p: [0], q: [2] },
        { name: 'TwoLeadsToZero', form: 'leadsTo', p: [2], q: [0] },
        { name: 'ZeroLeadsToNothing', form: 'leadsTo', p: [0], q: [] },
      ],
    };
    const v = await checkTiny(spec);
    expect(v.get('EvP')!.verdict).toBe('holds');
    expect(v.get('EvAlwaysP')!.verdict).toBe('violated');
    expect(v.get('InfOftenP')!.verdict).toBe('violated');
    expect(v.get('ZeroLeadsToTwo')!.verdict).toBe('holds');
    expect(v.get('TwoLeadsToZero')!.verdict).toBe('violated');
    expect(v.get('ZeroLeadsToNothing')!.verdict).toBe('violated');
    for (const name of ['EvAlwaysP', 'InfOftenP', 'TwoLeadsToZero']) {
      expect(labels(v.get(name)!.lasso!.prefix), name).toEqual([null, 'A', 'B']);
      expect(stutterOf(v.get(name)!.lasso).state[0]).toBe(2);
    }
  });

  it('<>[]P against []<>P on a cycle through P', async () => {
    const spec: TinySpec = {
      states: 2,
      initial: [0],
      actions: [
        { name: 'There', fairness: 'weak', edges: [[0, 1]] },
        { name: 'Back', fairness: 'weak', edges: [[1, 0]] },
      ],
      properties: [
        { name: 'Always0Eventually', form: 'eventuallyAlways', p: [0] },
        { name: 'Often0', form: 'alwaysEventually', p: [0] },
      ],
    };
    const v = await checkTiny(spec);
    expect(v.get('Often0')!.verdict).toBe('holds');
    const ea = v.get('Always0Eventually')!;
    expect(ea.verdict).toBe('violated');
    expect(labels(loopOf(ea.lasso).steps)).toEqual(['There', 'Back']);
  });

  it('strong fairness prunes a component down to a fair sub-cycle (Emerson-Lei)', async () => {
    // Component {0, 1, 2}: 0 <-> 1 by A/B, 1 <-> 2 by C/D; strongly fair S leaves 2 for the goal 3.
    const spec = (cFromZero: boolean): TinySpec => ({
      states: 4,
      initial: [0],
      actions: [
        { name: 'A', fairness: 'weak', edges: [[0, 1]] },
        { name: 'B', fairness: 'weak', edges: [[1, 0]] },
        { name: 'C', fairness: 'weak', edges: cFromZero ? [[1, 2], [0, 2]] : [[1, 2]] },
        { name: 'D', fairness: 'weak', edges: [[2, 1]] },
        { name: 'S', fairness: 'strong', edges: [[2, 3]] },
      ],
      properties: [{ name: 'Goal', form: 'eventually', p: [3] }],
    });
    // The whole component is unfair to S, but 0 <-> 1 alone never enables S and is weakly fair to C.
    const pruned = await checkTiny(spec(false));
    expect(pruned.get('Goal')!.verdict).toBe('violated');
    expect(labels(loopOf(pruned.get('Goal')!.lasso).steps)).toEqual(['A', 'B']);
    // If C is enabled at 0 too, 0 <-> 1 is unfair to C: every fair behaviour reaches 2 forever, then S.
    const held = await checkTiny(spec(true));
    expect(held.get('Goal')!.verdict).toBe('holds');
  });

  it('a loop takes every action fairness needs, not just any cycle', async () => {
    // 0 <-> 1 by X (weakly fair, enabled in both states), 0 -> 1 also by Y (strongly fair), 1 -> 0
    // also by Z: the shortest cycle (X, X) would starve Y, so the loop must show X and Y.
    const spec: TinySpec = {
      states: 2,
      initial: [0],
      actions: [
        { name: 'X', fairness: 'weak', edges: [[0, 1], [1, 0]] },
        { name: 'Y', fairness: 'strong', edges: [[0, 1]] },
        { name: 'Z', fairness: 'weak', edges: [[1, 0]] },
      ],
      properties: [{ name: 'Never', form: 'alwaysEventually', p: [] }],
    };
    const v = await checkTiny(spec);
    const loop = loopOf(v.get('Never')!.lasso);
    expect(labels(loop.steps)).toContain('X');
    expect(labels(loop.steps)).toContain('Y');
  });

  it('self-loops are stuttering: they neither enable nor satisfy fairness', async () => {
    const spec: TinySpec = {
      states: 2,
      initial: [0],
      actions: [
        { name: 'Idle', fairness: 'weak', edges: [[0, 0]] },
        { name: 'Move', fairness: 'none', edges: [[0, 1]] },
      ],
      properties: [{ name: 'Moves', form: 'eventually', p: [1] }],
    };
    const v = await checkTiny(spec);
    expect(stutterOf(v.get('Moves')!.lasso).disabled).toEqual([{ label: 'Idle', actionIndex: 0, failing: ['unchanged'] }]);
  });

  it('an incomplete exploration gives unknown, but a violation found in it stands', async () => {
    const chain: TinySpec = {
      states: 6,
      initial: [0],
      actions: [{ name: 'Next', fairness: 'weak', edges: [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]] }],
      properties: [{ name: 'ReachEnd', form: 'eventually', p: [5] }],
    };
    const model = tinyModel(chain);
    const r = await explore(model, { check: [], maxDepth: 3 });
    expect(r.complete).toBe(false);
    const v = checkLiveness(model, r, ['ReachEnd']);
    expect(v.get('ReachEnd')!.verdict).toBe('unknown');
    expect(v.get('ReachEnd')!.reason).toMatch(/maxDepth/);
    const stuck: TinySpec = { ...chain, actions: [{ name: 'Next', fairness: 'none', edges: chain.actions[0]!.edges }] };
    const m2 = tinyModel(stuck);
    const v2 = checkLiveness(m2, await explore(m2, { check: [], maxDepth: 3 }), ['ReachEnd']);
    expect(v2.get('ReachEnd')!.verdict).toBe('violated');
  });

  it('rejects names that are not liveness properties', async () => {
    const model = loadModel({ model: 'twophase', params: {} });
    const r = await explore(model, { check: [] });
    expect(() => checkLiveness(model, r, ['Consistent'])).toThrow(/not a liveness property/);
    expect(() => checkLiveness(model, r, ['Nope'])).toThrow(/unknown property/);
  });
});

describe('the state graph', () => {
  it('has one edge per step that changes the state, to the exact successor', async () => {
    const model = loadModel({ model: 'twophase', params: {} }) as Model<Uint8Array>;
    const r = await explore(model, { check: [] });
    const { graph } = buildStateGraph(model, r);
    expect(graph.states).toBe(288);
    expect(graph.missing).toBe(0);
    expect(graph.edges + graph.selfLoops).toBe(r.generated - graph.initial.length);
    expect(graph.initial).toEqual(Uint32Array.of(0));
    // Spot-check edges against the model.
    const words = new Uint32Array(r.store.states);
    const decode = (id: number) => {
      const s = model.scratch();
      model.decode(words, id * model.stateWords, s);
      return s;
    };
    for (let s = 0; s < graph.states; s += 17) {
      for (let e = graph.offsets[s]!; e < graph.offsets[s + 1]!; e++) {
        expect(graph.targets[e]).not.toBe(NO_TARGET);
        expect(Array.from(model.apply(decode(s), graph.actions[e]!)!)).toEqual(Array.from(decode(graph.targets[e]!)));
      }
    }
  });
});

describe('liveness in time slices (progress, Ctrl-C)', () => {
  // Large enough for the state graph to take several slices.
  const config = { R: 3, nodes: 2, faults: 'all', userOps: 'all', budget: 2 };
  const names = ['EventuallyConverged', 'ScaleDownCompletes', 'RolloutCompletes'];
  // Explored once for the two tests below that need the whole state space.
  let exploration: Promise<Exploration> | undefined;
  const explored = () => (exploration ??= explore(sts(config), { check: [] }));

  it('gives the same graph and verdicts as the one-piece check, reporting progress on the way', async () => {
    const model = sts(config);
    const r = await explored();
    const whole = buildStateGraph(model, r);
    const progress: number[] = [];
    const sliced = await buildStateGraphAsync(model, r, [], { onProgress: (done, total) => (expect(total).toBe(r.distinct), progress.push(done)) });
    expect(sliced).not.toBeNull();
    expect(sliced!.graph.edges).toBe(whole.graph.edges);
    expect(Array.from(sliced!.graph.offsets)).toEqual(Array.from(whole.graph.offsets));
    expect(Array.from(sliced!.graph.targets)).toEqual(Array.from(whole.graph.targets));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const one = checkLiveness(model, r, names);
    const two = await checkLivenessAsync(model, r, names);
    expect(summary(two)).toEqual(summary(one));
  });

  it('builds the same graph and labels with worker threads expanding chunks', async () => {
    const spec = { model: 'statefulset', params: config };
    const model = loadModel(spec);
    const r = await explored();
    const refs = [{ property: 'EventuallyConverged', part: 'p' as const }, { property: 'ScaleDownCompletes', part: 'p' as const }];
    const alone = (await buildStateGraphAsync(model, r, refs))!;
    const pool = new WorkerPool(modelRef(spec), 2);
    try {
      const shared = (await buildStateGraphAsync(model, r, refs, { pool }))!;
      expect(r.distinct).toBeGreaterThan(4 * GRAPH_CHUNK); // several chunks, so the worker takes some
      for (const key of ['offsets', 'targets', 'actions'] as const) expect(Array.from(shared.graph[key])).toEqual(Array.from(alone.graph[key]));
      expect(shared.labels.map((l) => Array.from(l))).toEqual(alone.labels.map((l) => Array.from(l)));
      expect(summary(await checkLivenessAsync(model, r, names, { pool }))).toEqual(summary(checkLiveness(model, r, names)));
    } finally {
      await pool.close();
    }
  });

  it('every edge is the exact step of its action, also past the first size guesses (a partial exploration)', async () => {
    const model = sts(config);
    // Stopped at depth 12: the last level's successors were never counted in `generated`, so the
    // graph outgrows its first guess; every state has several edges, so chunks outgrow theirs too.
    const r = await explore(model, { check: [], maxDepth: 12 });
    expect(r.complete).toBe(false);
    const { graph } = (await buildStateGraphAsync(model, r))!;
    expect(graph.edges).toBeGreaterThan(r.generated);
    expect(Array.from(graph.offsets)).toEqual(Array.from(buildStateGraph(model, r).graph.offsets));
    const words = new Uint32Array(r.store.states);
    const decode = (id: number) => {
      const s = model.scratch();
      model.decode(words, id * model.stateWords, s);
      return s;
    };
    let checked = 0;
    for (let s = 0; s < graph.states; s += 97) {
      const succ = new Map<number, string>();
      model.successors(decode(s), (a, next) => succ.set(a, Array.from(next).join()));
      for (let e = graph.offsets[s]!; e < graph.offsets[s + 1]!; e++) {
        const t = graph.targets[e]!;
        const expected = succ.get(graph.actions[e]!);
        if (t === NO_TARGET) expect(r.levelStarts.length).toBe(12); // a successor beyond the explored levels
        else expect(Array.from(decode(t)).join()).toBe(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('an abort leaves every verdict unknown, saying why', async () => {
    const model = sts(config);
    const r = await explore(model, { check: [] });
    const stop = new AbortController();
    let slices = 0;
    const v = await checkLivenessAsync(model, r, names, { signal: stop.signal, onProgress: () => ++slices === 1 && stop.abort() });
    // (A machine fast enough to build the whole graph in one slice never reports progress.)
    const expected = slices > 0 ? 'unknown' : 'violated';
    for (const name of names) expect(v.get(name)!.verdict === 'unknown' ? 'unknown' : 'violated').toBe(expected);
    if (slices > 0) expect(v.get('EventuallyConverged')!.reason).toMatch(/interrupted/);
    const aborted = new AbortController();
    aborted.abort();
    const none = await checkLivenessAsync(model, r, names, { signal: aborted.signal });
    expect([...none.values()].map((x) => x.verdict)).toEqual(['unknown', 'unknown', 'unknown']);
  });
});

describe('liveness against a brute-force reference on random small graphs', () => {
  const forms: LivenessForm[] = ['eventuallyAlways', 'alwaysEventually', 'eventually', 'leadsTo'];
  const MAX_EDGES = 13; // the reference enumerates 2^edges edge sets
  const specs = (minStates: number, fairness: fc.Arbitrary<Fair>, ring: fc.Arbitrary<'none' | 'all' | 'core'>) =>
    fc
      .record({
        states: fc.integer({ min: minStates, max: 5 }),
        nActions: fc.integer({ min: 1, max: 5 }),
      })
      .chain(({ states, nActions }) => {
        const stateArb = fc.integer({ min: 0, max: states - 1 });
        const action = fc.record({
          fairness,
          group: fc.constantFrom('own', 'G0', 'G1'),
          targets: fc.array(fc.option(stateArb, { nil: undefined, freq: 2 }), { minLength: states, maxLength: states }),
        });
        return fc.record({
          states: fc.constant(states),
          initial: fc.uniqueArray(stateArb, { minLength: 1, maxLength: states }),
          actions: fc.array(action, { minLength: nActions, maxLength: nActions }),
          ring,
          p: fc.uniqueArray(stateArb, { maxLength: states }),
          q: fc.uniqueArray(stateArb, { maxLength: states }),
        });
      })
      .map((r): TinySpec => {
        const props: TinyProperty[] = forms.map((form) => ({ name: form, form, p: r.p, ...(form === 'leadsTo' ? { q: r.q } : {}) }));
        return {
          states: r.states,
          initial: r.initial,
          actions: r.actions.map((a, k) => ({
            name: `A${k}`,
            fairness: a.fairness,
            group: a.group === 'own' ? `A${k}` : a.group,
            edges:
              k === 0 && r.ring
                ? a.targets.map((_, from) => [from, (from + 1) % r.states] as const)
                : a.targets.flatMap((t, from) => (t === undefined ? [] : [[from, t] as const])),
          })),
          properties: props,
        };
      })
      .filter((spec) => spec.actions.reduce((n, a) => n + a.edges.filter(([f, t]) => f !== t).length, 0) <= MAX_EDGES);

  // Any mix of fairness; the first action may go round all states, so that components with several
  // states are common.
  const anySpec = specs(1, fc.constantFrom<Fair>('weak', 'strong', 'none'), fc.constantFrom('none', 'all'));
  // Strong and no fairness, a ring round all states but the last, chords and exits: a component
  // that a strongly fair exit makes unfair, with sub-cycles that avoid the exit, is common here.
  const strongSpec = specs(4, fc.constant<Fair>('strong'), fc.constant('core'));

  const agrees = async (spec: TinySpec) => {
    const model = tinyModel(spec);
    const verdicts = await check(model);
    for (const p of spec.properties) {
      const v = verdicts.get(p.name)!;
      const expected = bruteForceViolated(spec, p);
      if ((v.verdict === 'violated') !== expected) return false;
      if (v.verdict !== 'holds' && v.verdict !== 'violated') return false;
      if (v.lasso && lassoProblems(spec, model, p, v.lasso).length > 0) return false;
      // Any short explicit lasso that is fair and violating must be found too.
      if (v.verdict === 'holds' && boundedLassoViolates(spec, p, 3, 4)) return false;
    }
    return true;
  };

  // npm test draws a third of the graphs the long suite (STSMC_LONG) does.
  const runs = (n: number) => (process.env.STSMC_LONG ? n : Math.ceil(n / 3));

  it('agrees with the enumeration of every lasso end, and its lassos replay and violate', async () => {
    await fc.assert(fc.asyncProperty(anySpec, agrees), { numRuns: runs(600) });
  });

  it('agrees with it where strong fairness prunes components', async () => {
    await fc.assert(fc.asyncProperty(strongSpec, agrees), { numRuns: runs(800) });
  });
});

describe('two-phase commit', () => {
  it('AllDecide holds under weak fairness (RMChooseToAbort is not fair)', async () => {
    for (const params of [{}, { rms: 2 }, { rms: 2, bug: 'true' }]) {
      const v = await check(loadModel({ model: 'twophase', params }));
      expect(v.get('AllDecide')!.verdict, JSON.stringify(params)).toBe('holds');
    }
  });
});

describe('StatefulSet liveness (reference model, expected verdicts)', () => {
  const blocked = { start: 'running', faults: ['podBreak'], userOps: ['scale'] };

  it('scale-down blocked by a permanently unhealthy pod: PodBreak(0), Scale(1), then stuttering', async () => {
    const v = await check(sts({ ...blocked, recovery: 'permanent' }), ['ScaleDownCompletes']);
    const sd = v.get('ScaleDownCompletes')!;
    expect(sd.verdict).toBe('violated');
    expect(labels(sd.lasso!.prefix)).toEqual([null, 'PodBreak(0)', 'Scale(1)']);
    const st = stutterOf(sd.lasso);
    const scaleDown = st.disabled.find((d) => d.label === 'CtlScaleDown(2)');
    expect(scaleDown?.failing).toEqual(['replicasReady']);
    expect(st.disabled.find((d) => d.label === 'KubeletReady(0)')?.failing).toEqual(['probePasses']);
  });

  it('the same scale-down completes when faults are transient', async () => {
    const v = await check(sts({ ...blocked, recovery: 'transient' }), ['ScaleDownCompletes']);
    expect(v.get('ScaleDownCompletes')!.verdict).toBe('holds');
  });

  it('a rolling update completes and converges', async () => {
    const v = await check(sts({ start: 'running', userOps: ['updateTemplate'] }), ['RolloutCompletes', 'EventuallyConverged']);
    expect(v.get('RolloutCompletes')!.verdict).toBe('holds');
    expect(v.get('EventuallyConverged')!.verdict).toBe('holds');
  });

  it('a partitioned (canary) update converges but never completes', async () => {
    const v = await check(sts({ start: 'running', userOps: ['updateTemplate'], initPartition: 1 }), ['RolloutCompletes', 'EventuallyConverged']);
    expect(v.get('RolloutCompletes')!.verdict).toBe('violated');
    expect(v.get('EventuallyConverged')!.verdict).toBe('holds');
    const st = stutterOf(v.get('RolloutCompletes')!.lasso);
    expect(st.disabled.find((d) => d.label === 'CtlUpdate(0)')?.failing).toEqual(['atOrAbovePartition']);
  });

  it('an OnDelete update never completes', async () => {
    const v = await check(sts({ start: 'running', userOps: ['updateTemplate'], strategy: 'OnDelete' }), ['RolloutCompletes']);
    const rc = v.get('RolloutCompletes')!;
    expect(rc.verdict).toBe('violated');
    expect(labels(rc.lasso!.prefix)).toEqual([null, 'UpdateTemplate']);
  });

  it('gives the same verdicts and lassos with 1 and 2 worker threads', async () => {
    const spec = { model: 'statefulset', params: { faults: ['nodeCrash', 'nodePartition', 'podBreak', 'podEvict'], recovery: 'permanent', budget: 1 } };
    const model = loadModel(spec);
    const names = ['EventuallyConverged', 'ScaleDownCompletes', 'RolloutCompletes'];
    const one = checkLiveness(model, await explore(model, { check: [] }), names);
    const pool = new WorkerPool(modelRef(spec), 2);
    try {
      const two = checkLiveness(model, await explore(model, { check: [], pool }), names);
      expect(summary(two)).toEqual(summary(one));
      expect(one.get('EventuallyConverged')!.verdict).toBe('violated');
    } finally {
      await pool.close();
    }
  });
});
