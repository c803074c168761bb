/**
 * Comparing two controllers on the same scenarios: which properties a variant breaks (the base
 * keeps them) or fixes (the base breaks them), with the variant's counterexample for each newly
 * broken one. Expectations in the scenario files are ignored: the base is the expectation. Returns
 * data; writing the variant's counterexamples is src/report/files.ts's business.
 */
import { runScenario, type CheckOptions, type PropertyResult, type ScenarioResult } from '../check/runScenario.js';
import type { Plan, Verdict } from '../scenario/scenario.js';

export type Change = 'same' | 'broken' | 'fixed' | 'unknown';

export interface PropertyComparison {
  readonly name: string;
  readonly base: Verdict;
  readonly variant: Verdict;
  readonly change: Change;
  /** The variant's result for the property (with its counterexample), when it breaks a property the base keeps. */
  readonly counterexample?: PropertyResult;
}

export interface ScenarioComparison {
  readonly scenario: string;
  readonly base: ScenarioResult;
  readonly variant: ScenarioResult;
  readonly properties: readonly PropertyComparison[];
}

export function changeOf(base: Verdict, variant: Verdict): Change {
  if (base === 'unknown' || variant === 'unknown') return 'unknown';
  if (base === variant) return 'same';
  return variant === 'violated' ? 'broken' : 'fixed';
}

/** `basePlan` and `variantPlan` are the same scenario resolved with each controller. */
export async function compareScenario(basePlan: Plan, variantPlan: Plan, options: CheckOptions): Promise<ScenarioComparison> {
  const variant = await runScenario(variantPlan, options);
  // Both sides explore alike, so that their state counts compare: with node symmetry only if both
  // controllers can use it (a variant that does not declare nodesAlike explores every state).
  const alike = variant.symmetry.used || basePlan.symmetry === 'none' ? basePlan : { ...basePlan, symmetry: 'none' as const };
  const base = await runScenario(alike, options);
  return compareResults(basePlan.name, base, variant);
}

/** The comparison of two results of one scenario (also after the variant's counterexample files were written). */
export function compareResults(scenario: string, base: ScenarioResult, variant: ScenarioResult): ScenarioComparison {
  const properties = base.properties.map((b) => {
    const v = variant.properties.find((p) => p.name === b.name)!;
    const change = changeOf(b.verdict, v.verdict);
    return { name: b.name, base: b.verdict, variant: v.verdict, change, ...(change === 'broken' ? { counterexample: v } : {}) };
  });
  return { scenario, base, variant, properties };
}
