import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/check/runScenario.js';
import { findScenarioFiles, loadScenarioFile, resolvePlan } from '../src/scenario/scenario.js';

// Every scenario in specs/ (the seed's claims) must give exactly its expected verdicts.
const files = findScenarioFiles('specs');

describe('seed scenarios', () => {
  it('exist for every safety row of the expected-verdicts table', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    it(file, async () => {
      const plan = resolvePlan(loadScenarioFile(file), {}, file);
      const result = await runScenario(plan, { workers: 1 });
      const got = Object.fromEntries(result.properties.map((p) => [p.name, p.verdict]));
      const want = Object.fromEntries(result.properties.map((p) => [p.name, p.expected]));
      expect(got).toEqual(want);
      for (const p of result.properties) {
        if (p.expectedTraceLength !== undefined) expect([p.name, p.traceLength]).toEqual([p.name, p.expectedTraceLength]);
        if (p.verdict === 'violated') expect(p.counterexample!.steps.length - 1).toBe(p.traceLength);
      }
    });
  }

  it('force deletion breaks AtMostOne in exactly 7 steps, in the order the seed describes', async () => {
    const plan = resolvePlan(loadScenarioFile('specs/force-delete-breaks-at-most-one.yaml'));
    const result = await runScenario(plan, { workers: 1 });
    const p = result.properties.find((x) => x.name === 'AtMostOne')!;
    expect(p.verdict).toBe('violated');
    expect(p.traceLength).toBe(7);
    const actions = p.counterexample!.steps.slice(1).map((s) => s.action!.replace(/\(.*/, ''));
    expect(actions).toEqual(['CtlCreate', 'Schedule', 'KubeletRun', 'ForceDeletePod', 'CtlCreate', 'Schedule', 'KubeletRun']);
  });
});
