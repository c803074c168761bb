/**
 * The risk reports of the workload fixtures (test/fixtures/workloads/: nine charts as they render),
 * built with the library entry points the CLI uses, for the snapshot tests: the default suite runs
 * the cheap ones and every report's static part, the long suite all nine in full.
 */
import { runScenario } from '../../src/check/runScenario.js';
import { hazardPlans, riskOf, riskText, runAtWorkloadSize, type HazardRun } from '../../src/manifest/hazards.js';
import { readManifests, workloadFromManifests, type Workload } from '../../src/manifest/manifest.js';
import type { Plan } from '../../src/scenario/scenario.js';

export const WORKLOADS = ['postgresql', 'etcd', 'zookeeper', 'kafka', 'redis-cluster', 'elasticsearch', 'mongodb', 'rabbitmq', 'cassandra'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export const fixture = (name: WorkloadName) => `test/fixtures/workloads/${name}.yaml`;
export const snapshot = (name: WorkloadName) => `./__snapshots__/workloads/${name}.txt`;

/**
 * A state cap for the reports here: the CLI's is 2 million (a few seconds per hazard); this one
 * makes Redis Cluster's 6 replicas fall back to 3 ordinals sooner, with the same verdicts.
 */
export const REPORT_CAP = 200_000;

export function workloadOf(name: WorkloadName): Workload {
  return workloadFromManifests(readManifests([fixture(name)]));
}

/** The full report as text, with the run times (the only part that varies) blanked. */
export async function reportOf(name: WorkloadName): Promise<string> {
  const w = workloadOf(name);
  const run = (p: Plan, maxStates?: number) => runScenario(p, { workers: 1, memoryBytes: 256 * 2 ** 20, ...(maxStates !== undefined ? { maxStates } : {}) });
  const runs: HazardRun[] = [];
  for (const { hazard, plan } of hazardPlans(w, {})) runs.push({ hazard, ...(await runAtWorkloadSize(w, hazard, {}, plan, run, { cap: REPORT_CAP })) });
  return `${stable(riskText(riskOf(w, runs)))}\n`;
}

/** The report's run times vary from run to run; everything else is deterministic with one worker. */
export const stable = (text: string) => text.replace(/, \d+\.\d s(, node symmetry)?/g, ', #.# s$1');

/** The static part of a report: what the manifests are modelled as, and which hazards run with which events and properties. */
export function planOf(name: WorkloadName): string {
  const w = workloadOf(name);
  const head = riskText(riskOf(w, [])).trimEnd();
  const plans = hazardPlans(w, {}).map(({ hazard, plan }) => {
    const p = plan.params;
    const events = [...(p.faults as string[]), ...(p.userOps as string[])].join(', ');
    return `  ${hazard.id}: ${plan.check.map((c) => c.name).join(', ')} under ${events} (R ${String(p.R)}, nodes ${String(p.nodes)}, attach ${String(p.attach)}, storage ${String(p.storage)}, budget ${String(p.budget)})`;
  });
  return `${head}\nHazard runs:\n${plans.join('\n')}\n`;
}
