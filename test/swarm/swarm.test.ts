import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/explorer/fingerprint.js';
import { newSketch, sketchAdd, sketchEstimate, sketchMerge } from '../../src/explorer/sketch.js';
import { simulate } from '../../src/explorer/simulate.js';
import { InputError } from '../../src/input/errors.js';
import { asShardResult, mergeShards, parseShard, shardResult, shardSearch, type SwarmKey } from '../../src/swarm/swarm.js';
import { sts } from '../helpers.js';

describe('swarm shards', () => {
  it('--shard K/N and the Indexed Job environment; out of range and malformed are input errors', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('job', { JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '4' })).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '0/0', '-1/4', 'x', '1/2/3', '']) expect(() => parseShard(bad)).toThrow(InputError);
    expect(() => parseShard('job', {})).toThrow(/JOB_COMPLETION_INDEX=null/);
    // Disjoint seeds, different biases.
    expect([0, 1, 2, 3].map((index) => shardSearch({ index, count: 4 }, 10))).toEqual([
      { seed: 10, bias: 0 },
      { seed: 11, bias: 0.25 },
      { seed: 12, bias: 0.5 },
      { seed: 13, bias: 0.75 },
    ]);
  });

  it('sketches merge exactly: the merge of two is the sketch of both; the estimate is close', () => {
    const a = newSketch();
    const b = newSketch();
    const both = newSketch();
    // Fingerprints of 20,000 distinct packed states of three words, as the explorer makes them.
    const words = new Uint32Array(3);
    const fp = new Int32Array(2);
    for (let x = 0; x < 20_000; x++) {
      words[0] = x;
      words[2] = x >>> 7;
      fingerprint(words, 0, 3, fp);
      sketchAdd(x % 3 === 0 ? a : b, fp[0]!, fp[1]!);
      sketchAdd(both, fp[0]!, fp[1]!);
    }
    sketchMerge(a, b);
    expect(a).toEqual(both);
    expect(Math.abs(sketchEstimate(both) - 20_000) / 20_000).toBeLessThan(0.05);
    expect(sketchEstimate(newSketch())).toBe(0);
  });

  it('merging refuses results of different swarms and repeated shards, and keeps the shortest violation per property', async () => {
    const model = sts({ userOps: ['forceDeletePod'], budget: 2 });
    const key: SwarmKey = { scenario: 'x', model: 'statefulset', controller: 'upstream', params: model.params, check: ['AtMostOne'], seed: 1, runs: 50, depth: 20, shards: 2 };
    const results: ReturnType<typeof shardResult>[] = [];
    for (const index of [0, 1]) {
      const sim = await simulate(model, { runs: 50, depth: 20, check: ['AtMostOne'], ...shardSearch({ index, count: 2 }, 1) });
      const v = sim.violation;
      const violation = v ? { property: v.property, kind: v.kind, traceLength: v.traceLength, shard: index, walk: v.run, expected: true, files: [], replay: null } : null;
      results.push(shardResult(key, { index, count: 2 }, sim, model.actions.map((a) => a.label), violation));
    }
    const merged = mergeShards(results.map((result, k) => ({ file: `f${k}`, result })));
    expect(merged.walks).toBe(results[0]!.walks + results[1]!.walks);
    const lengths = results.flatMap((r) => r.violations.map((v) => v.traceLength));
    if (lengths.length) expect(merged.violations[0]!.traceLength).toBe(Math.min(...lengths));
    expect(() => mergeShards([{ file: 'a', result: results[0]! }, { file: 'b', result: results[0]! }])).toThrow(/shard 0 appears twice: in a and b/);
    expect(() => mergeShards([{ file: 'a', result: results[0]! }, { file: 'b', result: { ...results[1]!, seed: 2 } }])).toThrow(/b is not a shard of the same swarm as a: its seed differs/);
    expect(() => asShardResult({ ...results[0]!, sketch: 'AAAA' }, 'c')).toThrow(/c: its state sketch is not 4096 registers/);
    expect(asShardResult(JSON.parse(JSON.stringify(merged)), 'm').kind).toBe('stsmc-swarm');
  });
});
