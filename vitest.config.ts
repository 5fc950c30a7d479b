import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/harness/global-setup.ts'],
    // Two cores: two test files at a time, each in its own database.
    pool: 'forks',
    maxWorkers: 2,
    // Generous: the CLI and browser tests start processes, slow on two busy cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
