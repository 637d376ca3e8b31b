import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertOnEvent, type AlertingDeps } from '../../../lib/pipeline/decide.ts';
import { flushDue } from '../../../lib/pipeline/publish.ts';
import type { Alert } from '../../../lib/alerts/alert.ts';
import { DEFAULT_GROUPING } from '../../../lib/alerts/grouping.ts';
import { publishBytes, SNS_MAX_PUBLISH_BYTES, snsMessage } from '../../../lib/notify/sns-message.ts';
import { MAX_STRING_LENGTH } from '../../../lib/events/schema.ts';
import { evaluate } from '../../../lib/pipeline/evaluate.ts';
import { MAX_DESCRIPTION, MAX_TITLE, renderAmazonQ } from '../../../lib/render/amazon-q.ts';
import { MAX_SUBJECT_LENGTH, renderEmail } from '../../../lib/render/email.ts';
import { MAX_BLOCKS, MAX_FALLBACK_TEXT, MAX_HEADER_TEXT, MAX_SECTION_TEXT, renderSlack } from '../../../lib/render/slack.ts';
import { runReplay } from '../../../lib/replay/run.ts';
import { MemoryStore } from '../../../lib/store/memory-store.ts';
import { detailOf, EVENTS_DIR, loadFixture } from '../../support/fixtures.ts';
import { slackBlocks, slackTexts } from '../../support/slack-message.ts';
import { machineBody, snsDocument } from '../../support/sns.ts';

// Stopped reasons, container names and service names crafted to break out of every output, through the real
// pipeline from recorded fixtures (parse, classify, alert, group, resolve) to each channel: the Slack message, the
// email, the Amazon Q notification, the SNS publish, and the replay's terminal output and HTML report.

/** Each line an attack on one output; none may survive as anything but text. */
const ATTACKS = [
  // Slack mrkdwn: mentions, broadcast, a disguised link, emphasis.
  '<!channel> <!here> <!everyone> <@U024BE7LH> <#C024BE7LH> <https://evil.example/steal|click here> *bold* _it_ ~s~ `code`',
  // Email: a header-looking line after CR/LF, NUL, bell, terminal escapes, bidi overrides that reverse the text.
  '\r\nBcc: victim@example.com\r\nSubject: urgent\u0000\u0007\u001b[2J\u001b]0;owned\u0007\u202eevil\u202c\u2066x\u2069\u200e\u0085',
  // JSON and HTML: quotes, backslashes, a script, an event handler, lone surrogates.
  '"quoted" \\"escaped\\" \\u0041 </script><script>alert(1)</script><img src=x onerror=alert(1)> \ud800 \udfff',
].join(' ');

/** A service name made of attacks but without `/`, which would end the name in a service ARN. */
const HOSTILE_SERVICE = '<!channel>*svc*\u202e"\\\u0000\u001b[2J</script>'.replace(/\//g, '');

/** Control characters, bidi controls and lone surrogates: none may reach people from an event. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
/** What SNS and SQS accept in a message (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html). */
const SQS_TEXT = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

const OOM_TASK = 'task/stopped-oom.json';
const TASKS = ['0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', '1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b'];

/** The recorded OOM stop with every text field hostile (`text`), for task `task` of the hostile service. */
function hostileStop(text: string, task: string, minute: number): Record<string, unknown> {
  const event = loadFixture(OOM_TASK);
  const detail = detailOf(event);
  const taskArn = `arn:aws:ecs:us-west-2:111122223333:task/prod/${task}`;
  detail.taskArn = taskArn;
  detail.group = `service:${HOSTILE_SERVICE}`;
  detail.stoppedReason = text;
  detail.containers = (detail.containers as Record<string, unknown>[]).map((container) => ({ ...container, taskArn, name: `${text}${String(container.name)}`, reason: text }));
  return { ...event, id: `hostile-${task}`, time: `2025-03-14T09:2${minute}:00Z`, resources: [taskArn] };
}

/** A placement failure whose reason is hostile, and the steady state that resolves the service's alerts. */
function hostileServiceEvents(text: string): Record<string, unknown>[] {
  const serviceArn = `arn:aws:ecs:us-west-2:111122223333:service/prod/${HOSTILE_SERVICE}`;
  const placement = loadFixture('service-action/placement-failure-resource-cpu.json');
  const steady = loadFixture('service-action/steady-state.json');
  const clusterArn = 'arn:aws:ecs:us-west-2:111122223333:cluster/prod';
  return [
    { ...placement, id: 'hostile-placement', account: '111122223333', region: 'us-west-2', time: '2025-03-14T09:24:00Z', resources: [serviceArn], detail: { ...detailOf(placement), clusterArn, reason: text } },
    { ...steady, id: 'hostile-steady', account: '111122223333', region: 'us-west-2', time: '2025-03-14T09:40:00Z', resources: [serviceArn], detail: { ...detailOf(steady), clusterArn } },
  ];
}

/** The events of one attack: two stops of the hostile service (an alert and a follow-up), a placement failure, and the recovery. */
function hostileEvents(text: string): Record<string, unknown>[] {
  const [placement, steady] = hostileServiceEvents(text);
  return [hostileStop(text, TASKS[0]!, 1), placement!, hostileStop(text, TASKS[1]!, 2), steady!];
}

async function alertsOf(events: Record<string, unknown>[]): Promise<Alert[]> {
  const sent: Alert[] = [];
  const deps: AlertingDeps = { store: new MemoryStore(), notifier: { publish: async (alert) => void sent.push(alert) }, grouping: DEFAULT_GROUPING };
  for (const event of events) {
    const evaluated = evaluate(event, 'hostile');
    if (evaluated.verdict.time !== null) await flushDue(evaluated.verdict.time, deps);
    await alertOnEvent(evaluated, deps);
  }
  await flushDue('', deps, true);
  return sent;
}

const CASES = {
  'attack strings': ATTACKS,
  'attack strings repeated to 1 MB': ATTACKS.repeat(Math.ceil(1_000_000 / ATTACKS.length)),
  '1 MB of one letter': 'x'.repeat(1_000_000),
};

describe.each(Object.entries(CASES))('every output, given %s', (_name, text) => {
  let alerts: Alert[];
  beforeAll(async () => {
    alerts = await alertsOf(hostileEvents(text));
  });

  it('comes from the whole story: alerts, a follow-up and resolved notices', () => {
    expect(new Set(alerts.map((alert) => alert.kind))).toEqual(new Set(['new', 'follow-up', 'resolved']));
    expect(alerts.some((alert) => alert.facts.service === HOSTILE_SERVICE)).toBe(true);
  });

  it('Slack: no < or > from the input, only &amp; &lt; &gt; entities, no control characters, within Block Kit limits', () => {
    for (const alert of alerts) {
      const message = renderSlack(alert);
      for (const text of slackTexts(message)) {
        expect(text).not.toMatch(/[<>]/u);
        expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/u);
        expect(text).not.toMatch(UNSAFE);
      }
      expect(message.text.length).toBeLessThanOrEqual(MAX_FALLBACK_TEXT);
      const blocks = slackBlocks(message);
      expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      for (const block of blocks) {
        if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
        if (block.type === 'section') expect((block.text?.text ?? '').length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
      }
      expect(JSON.parse(JSON.stringify(message))).toEqual(message);
      expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(64 * 1024);
    }
  });

  it('email: a one-line printable ASCII subject under 100 characters, a body without control characters or header-like lines', () => {
    for (const alert of alerts) {
      const { subject, text: body } = renderEmail(alert);
      expect(subject).toMatch(/^[\x20-\x7e]+$/u);
      expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
      expect(body).not.toMatch(UNSAFE);
      // The CR/LF of the input became spaces. (Wrapping may still start a body line with "Bcc:"; SNS writes the
      // headers, and a body line is never one.)
      expect(body).not.toContain('\r');
      expect(body).not.toContain('Bcc: victim@example.com\nSubject');
      for (const line of body.split('\n')) expect(line.length).toBeLessThanOrEqual(1_100);
      expect(body.length).toBeLessThan(64 * 1024);
    }
  });

  it('Amazon Q: only its own links are markup, no control characters, within its limits', () => {
    for (const alert of alerts) {
      const { content, metadata } = renderAmazonQ(alert);
      for (const text of [content.title, content.description, ...(content.nextSteps ?? []), ...(content.keywords ?? []), metadata.summary]) {
        expect(text.replace(/<https:\/\/[^\s<>|]+\|[^<>]*>/gu, '')).not.toMatch(/[<>]/u);
        expect(text).not.toMatch(UNSAFE);
        expect(text).not.toMatch(/@(?=\w)/u);
      }
      expect(content.title.length).toBeLessThanOrEqual(MAX_TITLE);
      expect(content.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    }
  });

  it('SNS: an ASCII one-line subject, valid JSON that round-trips the alert, only characters SNS accepts, under 256 KiB', () => {
    for (const alert of alerts) {
      const message = snsMessage(alert);
      expect(message.Subject).toMatch(/^[\x20-\x7e]{1,99}$/u);
      expect(publishBytes(message)).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES);
      expect(message.Message).toMatch(SQS_TEXT);
      for (const attribute of Object.values(message.MessageAttributes)) expect(attribute.StringValue).toMatch(SQS_TEXT);
      const document = snsDocument(message.Message);
      const { alert: read, trimmed } = machineBody(document.sqs);
      expect(read.id).toBe(alert.id);
      if (!trimmed) expect(read).toEqual(JSON.parse(JSON.stringify(alert)));
      expect(document.email).not.toMatch(UNSAFE);
    }
  });
});

describe.each(Object.entries(CASES))('the replay, given %s', (_name, text) => {
  interface Replayed {
    stdout: string;
    stderr: string;
    page: string;
    status: number;
  }
  let plain: Replayed;
  let colored: Replayed;

  async function runIt(color: boolean): Promise<Replayed> {
    const cwd = mkdtempSync(join(tmpdir(), 'hostile-replay-'));
    writeFileSync(join(cwd, 'hostile.jsonl'), `${hostileEvents(text).map((event) => JSON.stringify(event)).join('\n')}\n`);
    const collect = (stream: PassThrough): (() => string) => {
      const chunks: string[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
      return () => chunks.join('');
    };
    const stdout = Object.assign(new PassThrough(), { isTTY: color });
    const stderr = Object.assign(new PassThrough(), { isTTY: false });
    const out = collect(stdout);
    const err = collect(stderr);
    const status = await runReplay(['--all', color ? '--color' : '--no-color', '--report', 'report.html', 'hostile.jsonl'], {
      stdin: Readable.from(['']),
      stdout,
      stderr,
      cwd,
      env: {},
      defaultPaths: [cwd],
      apiDir: `${EVENTS_DIR}api`,
    });
    return { stdout: out(), stderr: err(), page: readFileSync(join(cwd, 'report.html'), 'utf8'), status };
  }

  beforeAll(async () => {
    [plain, colored] = [await runIt(false), await runIt(true)];
  });

  it('prints the story in the terminal with no control character from the input, and lines of bounded length', () => {
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('RESOLVED');
    expect(plain.stdout).not.toMatch(UNSAFE);
    // Every string of an event is cut to MAX_STRING_LENGTH when it is read; a line shows at most a name and a
    // reason, each character at most six long (a control character shown as \uXXXX).
    for (const line of plain.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(2 * 6 * MAX_STRING_LENGTH + 200);
    // With colour on, the only escape sequences are the replay's own colours.
    // eslint-disable-next-line no-control-regex -- the replay's own SGR sequences
    expect(colored.stdout.replace(/\u001b\[[0-9;]*m/gu, '')).not.toMatch(UNSAFE);
    expect(plain.stdout.length).toBeLessThan(1_000_000);
  });

  it('writes an HTML report whose markup is all its own: no script, no handler, text from events escaped, bounded', () => {
    const { page } = plain;
    expect(page).not.toMatch(/<(script|img|iframe|object|embed|svg|link|form)\b/iu);
    expect(page).not.toMatch(/\son[a-z]+=/iu);
    expect(page).not.toMatch(UNSAFE);
    expect(page).toContain('<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;">');
    if (text.includes('<!channel>')) expect(page).toContain('&lt;!channel&gt;');
    expect(page.length).toBeLessThan(2_000_000);
  });
});
