/**
 * Counters written as CloudWatch embedded metric format (EMF) documents: one JSON object per log line, from which
 * CloudWatch Logs extracts the metrics itself, with no PutMetricData call and no dependency.
 * Specification: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * In a document the dimension values and metric values are members of the root object, so one document holds one
 * value per dimension name and per metric name. Counts that cannot share a document (two values of one dimension,
 * such as `Kind=new` and `Kind=follow-up`, or more than 100 metrics) go into further documents of the same flush.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.count('Events', { Category: 'oom', Severity: 'warning' });
 * metrics.flush(); // {"_aws":{"Timestamp":…,"CloudWatchMetrics":[…]},"Category":"oom","Severity":"warning","Events":1}
 */

export const METRICS_NAMESPACE = 'EcsIncidentNotifier';

/** The spec's limits: dimension keys per DimensionSet, MetricDefinitions per directive (we apply it per document). */
export const MAX_DIMENSIONS = 30;
export const MAX_METRICS_PER_DOCUMENT = 100;
/** The JSON schema's maxLength of a dimension reference, and the spec's maximum of a dimension value and a name. */
const MAX_DIMENSION_NAME = 250;
const MAX_TEXT = 1024;

export interface Metrics {
  /** Adds `value` (default 1) to the count of `name` with these dimensions, until the next flush. */
  count(name: string, dimensions: Record<string, string>, value?: number): void;
  /** Writes what was counted since the last flush (nothing when nothing was) and starts again from zero. */
  flush(): void;
}

interface Counter {
  name: string;
  dimensions: [string, string][];
  value: number;
}

interface MetricDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: 'Count' }[];
}

interface Document {
  /** Root members: dimension values (strings) and metric values (numbers). */
  root: Map<string, string | number>;
  /** One directive per dimension-name set, keyed by the names in order. */
  directives: Map<string, MetricDirective>;
  metrics: number;
}

// CloudWatch accepts only printable ASCII in dimension names and values, with at least one non-space character.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

function check(condition: boolean, problem: string): void {
  if (!condition) throw new RangeError(`metrics: ${problem}`);
}

function validate(name: string, dimensions: Record<string, string>, value: number): void {
  const names = Object.keys(dimensions);
  check(name.length > 0 && name.length <= MAX_TEXT && name !== '_aws', `invalid metric name ${JSON.stringify(name)}`);
  check(Number.isFinite(value), `value of ${name} is not a finite number: ${value}`);
  check(names.length <= MAX_DIMENSIONS, `${name} has ${names.length} dimensions, more than ${MAX_DIMENSIONS}`);
  for (const [key, text] of Object.entries(dimensions)) {
    // A dimension and a metric of one name would be the same root member, a string and a number at once.
    check(key !== name, `dimension ${key} has the name of its metric`);
    check(key !== '_aws' && key.length <= MAX_DIMENSION_NAME && PRINTABLE_ASCII.test(key) && key.trim() !== '' && !key.startsWith(':'), `invalid dimension name ${JSON.stringify(key)}`);
    check(text.length <= MAX_TEXT && PRINTABLE_ASCII.test(text) && text.trim() !== '', `invalid value of dimension ${key}: ${JSON.stringify(text)}`);
  }
}

/** Whether a counter can join a document: its members are free there or hold the same dimension value. */
function fits(document: Document, counter: Counter): boolean {
  if (document.metrics >= MAX_METRICS_PER_DOCUMENT || document.root.has(counter.name)) return false;
  return counter.dimensions.every(([key, text]) => !document.root.has(key) || document.root.get(key) === text);
}

function add(document: Document, counter: Counter): void {
  for (const [key, text] of counter.dimensions) document.root.set(key, text);
  document.root.set(counter.name, counter.value);
  const keys = counter.dimensions.map(([key]) => key);
  const setKey = JSON.stringify(keys);
  const directive = document.directives.get(setKey) ?? { Namespace: METRICS_NAMESPACE, Dimensions: [keys], Metrics: [] };
  directive.Metrics.push({ Name: counter.name, Unit: 'Count' });
  document.directives.set(setKey, directive);
  document.metrics += 1;
}

/** The EMF documents for these counters, as few as the format allows, in the order the counters were first counted. */
function emfDocuments(counters: Iterable<Counter>, timestamp: number): Record<string, unknown>[] {
  const documents: Document[] = [];
  for (const counter of counters) {
    let document = documents.find((candidate) => fits(candidate, counter));
    if (document === undefined) {
      document = { root: new Map(), directives: new Map(), metrics: 0 };
      documents.push(document);
    }
    add(document, counter);
  }
  return documents.map((document) => ({
    _aws: { Timestamp: timestamp, CloudWatchMetrics: [...document.directives.values()] },
    ...Object.fromEntries(document.root),
  }));
}

/**
 * A metrics writer: counts accumulate until `flush`, which writes each EMF document as one JSON line. Names and
 * dimensions that the format or CloudWatch would refuse throw a RangeError at `count` (they are fixed in our code).
 * `now` is the clock of the documents' Timestamp (milliseconds since the epoch).
 */
export function createMetrics(write: (line: string) => void = (line) => console.log(line), now: () => number = Date.now): Metrics {
  const counters = new Map<string, Counter>();
  return {
    count(name, dimensions, value = 1) {
      validate(name, dimensions, value);
      const entries = Object.entries(dimensions);
      // The same dimensions in another order are the same metric.
      const key = JSON.stringify([name, [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
      const counter = counters.get(key);
      if (counter === undefined) counters.set(key, { name, dimensions: entries, value });
      else counter.value += value;
    },
    flush() {
      if (counters.size === 0) return;
      const documents = emfDocuments(counters.values(), now());
      counters.clear();
      for (const document of documents) write(JSON.stringify(document));
    },
  };
}
