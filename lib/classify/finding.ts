import type { Envelope } from '../events/envelope.ts';
import { CATEGORY_INFO, type Category } from './categories.ts';
import type { CatalogueEntry, ReasonMatch } from './catalogue.ts';
import type { Classification, ContainerVerdict, DaemonFacts, HookFacts, Severity } from './verdict.ts';

/** What a per-kind classifier decides; everything it leaves out comes from the category's defaults. */
export interface Finding {
  category: Category;
  severity?: Severity;
  spot?: boolean;
  cause?: string;
  remedy?: string;
  docsUrl?: string;
  patternId?: number | null;
}

/** Who and what the event is about, plus the raw facts worth showing. */
export interface Subject {
  deploymentId?: string | null;
  cluster?: string | null;
  service?: string | null;
  taskArn?: string | null;
  containerInstanceArn?: string | null;
  ec2InstanceId?: string | null;
  account?: string | null;
  region?: string | null;
  status?: string | null;
  stopCode?: string | null;
  reason?: string | null;
  taskDefinitionArn?: string | null;
  group?: string | null;
  startedBy?: string | null;
  containers?: ContainerVerdict[];
  hook?: HookFacts;
  daemon?: DaemonFacts;
}

/** A finding drawn from a catalogue entry, keeping its precise cause, fix and page. */
export function fromCatalogue(entry: CatalogueEntry, overrides: Partial<Finding> = {}): Finding {
  return {
    category: entry.category,
    patternId: entry.id,
    ...(entry.cause === undefined ? {} : { cause: entry.cause }),
    ...(entry.remedy === undefined ? {} : { remedy: entry.remedy }),
    ...(entry.docsUrl === undefined ? {} : { docsUrl: entry.docsUrl }),
    ...overrides,
  };
}

/**
 * A finding for a catalogue match. A nested cause of another category keeps the outer error's category and says both:
 * what failed (the category's own sentence), then why (the nested entry's cause), with the nested entry's remedy.
 */
export function fromMatch(match: ReasonMatch, overrides: Partial<Finding> = {}): Finding {
  const { entry, detail } = match;
  if (detail === undefined) return fromCatalogue(entry, overrides);
  const refined = fromCatalogue(detail);
  return {
    ...refined,
    category: entry.category,
    patternId: entry.id,
    cause: `${CATEGORY_INFO[entry.category].cause} ${refined.cause ?? CATEGORY_INFO[detail.category].cause}`,
    ...overrides,
  };
}

/** Assembles the full verdict; `alert` is derived from severity so the two can never disagree. */
export function buildClassification(
  envelope: Envelope,
  finding: Finding,
  subject: Subject,
  warnings: string[],
): Classification {
  const defaults = CATEGORY_INFO[finding.category];
  const severity = finding.severity ?? defaults.severity;
  return {
    category: finding.category,
    severity,
    alert: severity !== 'info',
    spot: finding.spot ?? defaults.spot,
    deploymentId: subject.deploymentId ?? null,
    account: envelope.account ?? subject.account ?? null,
    region: envelope.region ?? subject.region ?? null,
    cluster: subject.cluster ?? null,
    service: subject.service ?? null,
    taskArn: subject.taskArn ?? null,
    containerInstanceArn: subject.containerInstanceArn ?? null,
    ec2InstanceId: subject.ec2InstanceId ?? null,
    cause: finding.cause ?? defaults.cause,
    remedy: finding.remedy ?? defaults.remedy,
    docsUrl: finding.docsUrl ?? defaults.docsUrl,
    containers: subject.containers ?? [],
    time: envelope.time,
    status: subject.status ?? null,
    stopCode: subject.stopCode ?? null,
    reason: subject.reason ?? null,
    taskDefinitionArn: subject.taskDefinitionArn ?? null,
    group: subject.group ?? null,
    startedBy: subject.startedBy ?? null,
    patternId: finding.patternId ?? null,
    warnings,
    ...(subject.hook === undefined ? {} : { hook: subject.hook }),
    ...(subject.daemon === undefined ? {} : { daemon: subject.daemon }),
  };
}
