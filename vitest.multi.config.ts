import { defineConfig } from 'vitest/config';

// Multi-process and crash suites (several servers, kill -9): `npm run test:multi`, after `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.multi.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
