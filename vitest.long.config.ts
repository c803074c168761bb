import { defineConfig } from 'vitest/config';

// `npm run test:long`: the cross-checks of the model against the independent, naive rendering of
// its rules (state counts on about 120 configurations, liveness verdicts, volume attachment).
export default defineConfig({
  test: {
    include: ['test/**/*.long.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
