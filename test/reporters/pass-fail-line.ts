import type { Reporter, TestModule } from 'vitest/node';

declare module 'vitest' {
  interface TaskMeta {
    /** One line a test wants read at the end of the run, such as what a check covered (printed before the closing line). */
    summary?: string;
  }
}

/**
 * Ends the run with `N passed, N failed` (and `, N skipped` when any) alone on its line, the plain summary that CI
 * tooling reads; vitest's own summary is formatted for people. The coverage report is printed after every reporter
 * hook, so the line is written when the process exits, which keeps it last. Writes to a pipe or file are synchronous
 * on Linux and macOS, so nothing is lost at exit.
 */
export default class PassFailLineReporter implements Reporter {
  private line: string | null = null;
  private summaries: string[] = [];

  constructor() {
    process.once('exit', () => {
      for (const summary of this.summaries) process.stdout.write(`\n${summary}`);
      if (this.line !== null) process.stdout.write(`\n${this.line}\n`);
    });
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        const state = testCase.result().state;
        const summary = testCase.meta().summary;
        if (state === 'passed' && summary !== undefined) this.summaries.push(summary);
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      // A file that fails to load has no test cases; count it so a broken suite cannot read as green.
      if (testModule.state() === 'failed' && [...testModule.children.allTests()].length === 0) failed += 1;
    }
    failed += unhandledErrors.length;
    this.line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  }
}
