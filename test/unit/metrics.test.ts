import { describe, expect, it, vi } from 'vitest';
import { createMetrics, MAX_METRICS_PER_DOCUMENT } from '../../lib/metrics.ts';

const TIMESTAMP = Date.parse('2025-03-14T09:27:00Z');

function collecting() {
  const lines: string[] = [];
  const metrics = createMetrics((line) => lines.push(line), () => TIMESTAMP);
  const documents = (): Record<string, unknown>[] => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, metrics, documents };
}

describe('createMetrics', () => {
  it('writes the counts of one event as one EMF document, one directive per dimension set', () => {
    const { lines, metrics } = collecting();
    metrics.count('Events', { Category: 'oom', Severity: 'warning' });
    metrics.count('Outcomes', { Outcome: 'alert' });
    metrics.count('MessagesSent', { Kind: 'new' });
    metrics.flush();

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      _aws: {
        Timestamp: 1741944420000,
        CloudWatchMetrics: [
          { Namespace: 'EcsIncidentNotifier', Dimensions: [['Category', 'Severity']], Metrics: [{ Name: 'Events', Unit: 'Count' }] },
          { Namespace: 'EcsIncidentNotifier', Dimensions: [['Outcome']], Metrics: [{ Name: 'Outcomes', Unit: 'Count' }] },
          { Namespace: 'EcsIncidentNotifier', Dimensions: [['Kind']], Metrics: [{ Name: 'MessagesSent', Unit: 'Count' }] },
        ],
      },
      Category: 'oom',
      Severity: 'warning',
      Events: 1,
      Outcome: 'alert',
      Outcomes: 1,
      Kind: 'new',
      MessagesSent: 1,
    });
  });

  it('adds up counts of the same metric and dimensions, in whatever order the dimensions come', () => {
    const { metrics, documents } = collecting();
    metrics.count('Events', { Category: 'oom', Severity: 'warning' });
    metrics.count('Events', { Severity: 'warning', Category: 'oom' }, 2);
    metrics.flush();

    expect(documents()).toEqual([expect.objectContaining({ Category: 'oom', Severity: 'warning', Events: 3 })]);
  });

  it('puts two values of one dimension in separate documents, since a document holds one value per member', () => {
    const { metrics, documents } = collecting();
    metrics.count('MessagesSent', { Kind: 'new' });
    metrics.count('MessagesSent', { Kind: 'follow-up' });
    metrics.count('Outcomes', { Outcome: 'alert' });
    metrics.flush();

    expect(documents().map(({ _aws, ...members }) => members)).toEqual([
      { Kind: 'new', MessagesSent: 1, Outcome: 'alert', Outcomes: 1 },
      { Kind: 'follow-up', MessagesSent: 1 },
    ]);
  });

  it('keeps at most 100 metrics in a document', () => {
    const { metrics, documents } = collecting();
    for (let index = 0; index < MAX_METRICS_PER_DOCUMENT + 1; index += 1) metrics.count(`Metric${index}`, {});
    metrics.flush();

    const written = documents();
    expect(written).toHaveLength(2);
    expect(written[0]).toMatchObject({ _aws: { CloudWatchMetrics: [{ Dimensions: [[]], Metrics: expect.any(Array) }] } });
    expect(written.map((document) => Object.keys(document).length - 1)).toEqual([100, 1]);
  });

  it('writes nothing when nothing was counted, and starts from zero after a flush', () => {
    const { lines, metrics } = collecting();
    metrics.flush();
    metrics.count('Outcomes', { Outcome: 'failed' });
    metrics.flush();
    metrics.flush();

    expect(lines).toHaveLength(1);
  });

  it('refuses what CloudWatch would refuse: more than 30 dimensions, a dimension named like its metric, empty or non-ASCII values', () => {
    const { metrics } = collecting();
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, index) => [`D${index}`, 'x']));
    expect(() => metrics.count('Events', many)).toThrow('metrics: Events has 31 dimensions, more than 30');
    expect(() => metrics.count('Outcome', { Outcome: 'alert' })).toThrow('dimension Outcome has the name of its metric');
    expect(() => metrics.count('Events', { Category: ' ' })).toThrow(RangeError);
    expect(() => metrics.count('Events', { Category: 'oom\u202e' })).toThrow(RangeError);
    expect(() => metrics.count('Events', { Category: 'x'.repeat(1025) })).toThrow(RangeError);
    expect(() => metrics.count('_aws', {})).toThrow(RangeError);
    expect(() => metrics.count('Events', {}, Number.NaN)).toThrow(RangeError);
  });

  it('writes with console.log by default', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const metrics = createMetrics(undefined, () => TIMESTAMP);
    metrics.count('Outcomes', { Outcome: 'grouped' });
    metrics.flush();

    expect(log.mock.calls.map(([line]) => JSON.parse(String(line)) as unknown)).toEqual([expect.objectContaining({ Outcome: 'grouped', Outcomes: 1 })]);
  });
});
