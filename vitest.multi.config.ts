import { defineConfig } from 'vitest/config';

/** Multi-process suites (several servers and workers, kill -9): `npm run test:multi`, after `npm test` in CI. */
export default defineConfig({
  test: {
    include: ['test/**/*.multi.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
