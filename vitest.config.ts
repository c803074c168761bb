import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The long cross-checks against the independent rendering run with `npm run test:long`
    // (vitest.long.config.ts), which CI runs too; `npm test` stays within two minutes.
    exclude: [...configDefaults.exclude, 'test/**/*.long.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two files at a time, one per core: much of the suite waits on child processes (the CLI tests)
    // and worker start-up, so this takes the suite from 106 s to 75 s on the two-core machine. No test
    // asserts a timing, so a loaded core slows a test down without changing its result.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
