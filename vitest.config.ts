import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Multi-process and crash suites run with `npm run test:multi` (vitest.multi.config.ts).
    exclude: ['**/node_modules/**', 'test/**/*.multi.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
