import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    reporters: ['default', './test/reporters/pass-fail-line.ts'],
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts'],
      // The CLI entry point is exercised end to end in a child process, which v8 coverage of this process cannot see.
      exclude: ['lib/replay/cli.ts'],
      reporter: ['text-summary'],
      thresholds: { lines: 90 },
    },
  },
});
