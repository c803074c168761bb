import { describe, expect, it } from 'vitest';
import { reportOf, snapshot, WORKLOADS } from './workloadReports.js';

// All nine workload reports in full, against the snapshots the default suite checks in part
// (workloads.test.ts).
describe('workload fixtures: every full report', () => {
  it.each(WORKLOADS)('%s', async (name) => {
    await expect(await reportOf(name)).toMatchFileSnapshot(snapshot(name));
  }, 300_000);
});
