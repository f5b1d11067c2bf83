import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Multi-process suites run on their own: npm run test:multi (vitest.multi.config.ts).
    exclude: ['test/**/*.multi.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
