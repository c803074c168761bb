import { defineConfig } from 'vitest/config';

// `npm run test:long`: the cross-checks of the model against the independent, naive rendering of
// its rules (state counts on about 120 configurations, liveness verdicts, volume attachment), the
// shipped variants' compare output, and parallel = sequential on many random models.
export default defineConfig({
  test: {
    // And the random-model parallel = sequential property with many more runs than npm test's.
    include: ['test/**/*.long.test.ts', 'test/explorer/parallel.test.ts'],
    env: { STSMC_LONG: '1' },
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
