import { defineConfig } from 'vitest/config';

// `npm run test:long`: the cross-checks of the model against the independent, naive rendering of
// its rules (state counts on about 120 configurations, liveness verdicts, volume attachment), the
// shipped variants' compare output, and parallel = sequential on many random models.
export default defineConfig({
  test: {
    // And the files whose heavier cases run only here (STSMC_LONG): parallel = sequential on many
    // random models and random limits, three times the random graphs against the brute-force
    // liveness check, every seed scenario's pictures, SIGTERM as well as SIGINT, every hostile
    // message case and malformed trace file, the slower input, cache and output hardening cases,
    // and more random configurations for the successor, purity and symmetry properties.
    include: ['test/**/*.long.test.ts', 'test/explorer/parallel.test.ts', 'test/explorer/liveness.test.ts', 'test/explorer/limitsParallel.test.ts', 'test/report/svg.test.ts', 'test/cli/cli.test.ts', 'test/cli/security.test.ts', 'test/cli/runaway.test.ts', 'test/cli/trace.test.ts', 'test/replay/cli.test.ts', 'test/spec/successors.test.ts', 'test/spec/purity.test.ts', 'test/spec/symmetry.test.ts', 'test/spec/rollouts.test.ts'],
    env: { STSMC_LONG: '1' },
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
