import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/check/runScenario.js';
import { InputError } from '../../src/input/errors.js';
import { loadModel } from '../../src/registry.js';
import { counterexampleFromItf } from '../../src/replay/itf.js';
import { renderDot } from '../../src/report/dot.js';
import { counterexampleToItf } from '../../src/report/itf.js';
import { renderText } from '../../src/report/text.js';
import { loadScenarioFile, resolvePlan } from '../../src/scenario/scenario.js';

async function counterexample(file: string, property: string) {
  const result = await runScenario(resolvePlan(loadScenarioFile(file)), { workers: 1 });
  return result.properties.find((p) => p.name === property)!.counterexample!;
}

describe('ITF traces', () => {
  it('round-trip: a saved trace renders to the same text and DOT as the original', async () => {
    for (const [file, prop] of [
      ['specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne'],
      ['specs/pvc-deleted-reclaim-delete.yaml', 'NoDataLoss'],
      ['specs/parallel-scale-down.yaml', 'OrderedTermination'],
    ] as const) {
      const cx = await counterexample(file, prop);
      const doc = JSON.parse(JSON.stringify(counterexampleToItf(cx)));
      const model = loadModel({ model: doc['#meta'].model, params: doc['#meta'].params });
      const back = counterexampleFromItf(doc, model);
      expect(renderText(back)).toBe(renderText(cx));
      expect(renderDot(back)).toBe(renderDot(cx));
    }
  });

  it('uses ITF encodings: #bigint integers, #map maps, action labels in #meta', async () => {
    const cx = await counterexample('specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne');
    const doc = counterexampleToItf(cx);
    expect(doc.vars).toContain('pod');
    expect(doc.states).toHaveLength(8);
    expect(doc.states[0]!.replicas).toEqual({ '#bigint': '3' });
    expect(doc.states[1]!['#meta']).toEqual({ index: 1, action: 'CtlCreate(0)' });
    expect(doc.states[1]!.pod).toMatchObject({ '#map': [[{ '#bigint': '0' }, { phase: 'Pending' }]] });
  });

  it('rejects malformed and truncated traces with an input error', async () => {
    const model = loadModel({ model: 'statefulset', params: {} });
    expect(() => counterexampleFromItf({ states: [] }, model)).toThrow(InputError);
    const cx = await counterexample('specs/force-delete-breaks-at-most-one.yaml', 'AtMostOne');
    const doc = JSON.parse(JSON.stringify(counterexampleToItf(cx)));
    delete doc.states[2].pvc;
    expect(() => counterexampleFromItf(doc, model)).toThrow(/'pvc' must be a map/);
  });
});
