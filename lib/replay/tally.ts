import type { Category } from '../classify/categories.ts';
import type { Severity } from '../classify/verdict.ts';
import type { ReplayResult } from './replay.ts';

export type SeverityCounts = Record<Severity, number>;

function noCounts(): SeverityCounts {
  return { critical: 0, warning: 0, info: 0 };
}

/** Running counts of a replay: events by category and severity, and inputs that could not be read. */
export class Tally {
  events = 0;
  errors = 0;
  readonly files = new Set<string>();
  readonly bySeverity: SeverityCounts = noCounts();
  readonly byCategory = new Map<Category, SeverityCounts>();

  add(result: ReplayResult): void {
    this.files.add(result.file);
    if (result.kind === 'error') {
      this.errors += 1;
      return;
    }
    const { category, severity } = result.verdict;
    this.events += 1;
    this.bySeverity[severity] += 1;
    const counts = this.byCategory.get(category) ?? noCounts();
    counts[severity] += 1;
    this.byCategory.set(category, counts);
  }

  get alerts(): number {
    return this.bySeverity.critical + this.bySeverity.warning;
  }
}
