import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Multi-process suites run on their own: npm run test:multi (vitest.multi.config.ts).
    exclude: [...configDefaults.exclude, 'test/**/*.multi.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
