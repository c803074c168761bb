import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The long cross-checks against the independent rendering run with `npm run test:long`
    // (vitest.long.config.ts), which CI runs too; `npm test` stays within two minutes.
    exclude: [...configDefaults.exclude, 'test/**/*.long.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Model checking is CPU-bound and the machine has two cores: run test files one at a time.
    fileParallelism: false,
  },
});
