import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Model checking is CPU-bound and the machine has two cores: run test files one at a time.
    fileParallelism: false,
  },
});
