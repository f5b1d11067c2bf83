import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Multi-process suites run on their own: npm run test:multi (vitest.multi.config.ts).
    exclude: [...configDefaults.exclude, 'test/**/*.multi.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores, which on a 2-core machine runs the files one at a
    // time; the suites are independent (own temp stores, port 0), so two at once halve the wall time.
    maxWorkers: 2,
  },
});
