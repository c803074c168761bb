import { describe, expect, it } from 'vitest';
import { planOf, reportOf, snapshot, WORKLOADS, workloadOf, type WorkloadName } from './workloadReports.js';

// Nine workloads as their public charts render them (test/fixtures/workloads/): each report must
// say what is specific to that workload. The full reports are pinned in
// __snapshots__/workloads/<name>.txt; the default suite checks the static part of all nine (what
// the manifests are modelled as, which hazards run) and runs the cheap full reports, and
// workloads.long.test.ts runs all nine (Redis Cluster's six Parallel replicas and Kafka's scaling
// take most of the time).

/** The reports that run in a second or less each. */
const CHEAP: readonly WorkloadName[] = ['postgresql', 'zookeeper', 'mongodb', 'rabbitmq', 'cassandra'];

describe('workload fixtures: what each is modelled as, and which hazards run', () => {
  it.each(WORKLOADS)('%s', async (name) => {
    await expect(planOf(name)).toMatchFileSnapshot(`./__snapshots__/workloads/${name}.plan.txt`);
  });

  it('the fields that set the workloads apart are read as written', () => {
    const p = Object.fromEntries(WORKLOADS.map((n) => [n, workloadOf(n).params]));
    expect(p.postgresql).toMatchObject({ R: 1, attach: 'rwo', reclaim: 'Delete' });
    expect(p.etcd).toMatchObject({ R: 3, policy: 'Parallel' });
    expect(p.zookeeper).toMatchObject({ R: 3, policy: 'OrderedReady', initPartition: 2 });
    expect(p.kafka).toMatchObject({ whenScaled: 'Delete', whenDeleted: 'Retain', policy: 'Parallel' });
    expect(p['redis-cluster']).toMatchObject({ R: 5, initReplicas: 5, policy: 'Parallel', initPartition: 0 });
    expect(p.mongodb).toMatchObject({ reclaim: 'Retain', attach: 'rwo' });
    expect(p.rabbitmq).toMatchObject({ reclaim: 'Retain' });
    expect(p.cassandra).toMatchObject({ storage: 'local', attach: 'none', reclaim: 'Delete' });
    // No two workloads get the same plan.
    expect(new Set(WORKLOADS.map(planOf)).size).toBe(WORKLOADS.length);
  });
});

describe('workload fixtures: the full reports of the cheap ones', () => {
  it.each(CHEAP)('%s', async (name) => {
    await expect(await reportOf(name)).toMatchFileSnapshot(snapshot(name));
  }, 60_000);
});
