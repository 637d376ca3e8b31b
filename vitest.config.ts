import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/reporters/pass-fail-line.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/setup.ts'],
          // Property tests run hundreds of cases: well under a second idle, several on a loaded two-core machine (CI,
          // or a mutation run beside it). vitest's 5 s default would make a contributor's first run red for no bug.
          testTimeout: 30_000,
        },
      },
      {
        // Real emulators over loopback (fauxqs for SNS/SQS, dynalite for DynamoDB, a local HTTP server for Slack) and
        // the replay command as a child process.
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['lib/**/*.ts'],
      // The CLI entry point is exercised end to end in a child process, which v8 coverage of this process cannot see.
      exclude: ['lib/replay/cli.ts', 'lib/redrive/cli.ts', 'lib/history/cli.ts', 'lib/emulator/cli.ts'],
      reporter: ['text-summary'],
      thresholds: { lines: 90 },
    },
  },
});
