import type { Alert } from '../alerts/alert.ts';
import type { Outcome } from '../alerts/grouping.ts';
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
  /** What became of the events: `alert`, `grouped`, `resolved`, `suppressed:<why>`. */
  readonly outcomes = new Map<string, number>();
  readonly messagesByKind: Record<Alert['kind'], number> = { new: 0, 'follow-up': 0, repeat: 0, resolved: 0, deployment: 0 };
  /** Messages by their own severity (a follow-up or resolved notice keeps its alert's), beside the events' above. */
  readonly messagesBySeverity: SeverityCounts = noCounts();

  add(result: ReplayResult): void {
    this.files.add(result.file);
    if (result.kind === 'error') {
      this.errors += 1;
      return;
    }
    const { category, severity } = result.evaluated.verdict;
    this.events += 1;
    this.bySeverity[severity] += 1;
    const counts = this.byCategory.get(category) ?? noCounts();
    counts[severity] += 1;
    this.byCategory.set(category, counts);
  }

  addOutcome(outcome: Outcome): void {
    const name = outcome.outcome === 'suppressed' ? `suppressed:${outcome.suppressedBecause}` : outcome.outcome;
    this.outcomes.set(name, (this.outcomes.get(name) ?? 0) + 1);
  }

  addMessages(messages: readonly Alert[]): void {
    for (const message of messages) {
      this.messagesByKind[message.kind] += 1;
      this.messagesBySeverity[message.severity] += 1;
    }
  }

  get messages(): number {
    return Object.values(this.messagesByKind).reduce((sum, count) => sum + count, 0);
  }

  outcome(name: string): number {
    return this.outcomes.get(name) ?? 0;
  }

  get alerts(): number {
    return this.bySeverity.critical + this.bySeverity.warning;
  }
}
