import { CloudWatchLogsClient, CloudWatchLogsServiceException, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { ecsLogTailLookup, failureReason, maskCredentials, MAX_LINE_LENGTH, MAX_TAIL_BYTES, MAX_TAIL_LINES, tailOf } from '../../../lib/aws/container-logs.ts';
import { logsClientAnswering } from '../../support/api-responses.ts';

const ORDERS = { group: '/ecs/orders-api', stream: 'ecs/orders-api/f838fc08a7d9e31209013c6826543c5b', region: 'us-west-2' };

function mockedLogs() {
  const client = new CloudWatchLogsClient({ region: 'us-west-2' });
  return { client, logs: mockClient(client) };
}

function serviceError(name: string): CloudWatchLogsServiceException {
  return new CloudWatchLogsServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message: name });
}

describe('ecsLogTailLookup', () => {
  it('reads the newest events of the stream and masks the credentials in them, from the recorded wire body', async () => {
    const regions: string[] = [];
    const lookup = ecsLogTailLookup((region) => {
      regions.push(region);
      return logsClientAnswering('orders-api-f838fc08a7d9e31209013c6826543c5b');
    });

    const tail = await lookup(ORDERS);

    expect(regions).toEqual(['us-west-2']);
    expect(tail.missing).toBeNull();
    expect(tail.lines).toHaveLength(9);
    expect(tail.lines.at(-2)).toBe('warn: event loop blocked for 1740 ms');
    expect(tail.lines[1]).toBe('db: connected to postgres://orders_app:****@orders-db.cluster-c9akciq32.us-west-2.rds.amazonaws.com:5432/orders');
    expect(tail.lines.at(-1)).toBe('POST /orders/export authorization=Bearer **** still building, 151872 rows');
    expect(tail.lines.join('\n')).not.toMatch(/Zq8v2LxT4mN6|eyJhbGci/);
  });

  it('asks for the end of the stream (startFromHead false) with a limit, in the awslogs group and stream', async () => {
    const { client, logs } = mockedLogs();
    logs.on(GetLogEventsCommand).resolves({ events: [{ timestamp: 1, message: 'bye', ingestionTime: 2 }], nextForwardToken: 'f/1/s', nextBackwardToken: 'b/1/s' });

    expect(await ecsLogTailLookup(() => client)(ORDERS)).toEqual({ lines: ['bye'], cut: false, missing: null });
    expect(logs).toHaveReceivedCommandWith(GetLogEventsCommand, { logGroupName: '/ecs/orders-api', logStreamName: ORDERS.stream, startFromHead: false, limit: MAX_TAIL_LINES });
  });

  it('builds one client per Region and reuses it', async () => {
    const { client, logs } = mockedLogs();
    logs.on(GetLogEventsCommand).resolves({ events: [] });
    const regions: string[] = [];
    const lookup = ecsLogTailLookup((region) => {
      regions.push(region);
      return client;
    });
    await lookup(ORDERS);
    await lookup(ORDERS);
    await lookup({ ...ORDERS, region: 'eu-west-1' });
    expect(regions).toEqual(['us-west-2', 'eu-west-1']);
  });

  it('says in one line why there are no lines when the stream is missing (recorded error body)', async () => {
    const ref = { group: '/ecs/checkout', stream: 'ecs/checkout/9dcb1d449b650214d6c961dffd70d2c7', region: 'eu-west-1' };
    const tail = await ecsLogTailLookup(() => logsClientAnswering('checkout-9dcb1d449b650214d6c961dffd70d2c7', 'eu-west-1'))(ref);
    expect(tail).toEqual({ lines: [], cut: false, missing: 'log stream ecs/checkout/9dcb1d449b650214d6c961dffd70d2c7 of /ecs/checkout does not exist (the container may never have started)' });
  });

  it('says access was denied, naming the group and the deploy parameter that scopes it', async () => {
    const { client, logs } = mockedLogs();
    logs.on(GetLogEventsCommand).rejects(serviceError('AccessDeniedException'));
    expect((await ecsLogTailLookup(() => client)({ ...ORDERS, group: '/custom/orders' })).missing).toBe(
      'the notifier may not read log group /custom/orders (access denied: is it under the logGroupPrefix deploy parameter?)',
    );
  });

  it('says the read timed out when CloudWatch Logs does not answer within the deadline, without waiting longer', async () => {
    const { client, logs } = mockedLogs();
    logs.on(GetLogEventsCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    expect((await ecsLogTailLookup(() => client, { timeoutMs: 20 })(ORDERS)).missing).toBe('CloudWatch Logs did not answer within 0.02 s');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('says the stream has no lines when it is empty', async () => {
    const { client, logs } = mockedLogs();
    logs.on(GetLogEventsCommand).resolves({ events: [{ message: '  ' }, {}] });
    expect((await ecsLogTailLookup(() => client)(ORDERS)).missing).toBe('the log stream has no lines');
  });

  it('names throttling and any other error', () => {
    expect(failureReason(serviceError('ThrottlingException'), ORDERS)).toBe('CloudWatch Logs throttled the read');
    expect(failureReason(serviceError('ServiceUnavailableException'), ORDERS)).toBe('CloudWatch Logs answered ServiceUnavailableException');
    expect(failureReason('not an error', ORDERS)).toBe('CloudWatch Logs answered Error');
  });
});

describe('tailOf', () => {
  it('keeps the newest 20 lines of multi-line messages, drops blank lines and colour codes, and says it cut', () => {
    const messages = Array.from({ length: 30 }, (_, index) => `\u001b[31mline ${index}\u001b[0m\n\n`);
    const tail = tailOf(messages);
    expect(tail.lines).toHaveLength(MAX_TAIL_LINES);
    expect(tail.lines[0]).toBe('line 10');
    expect(tail.lines.at(-1)).toBe('line 29');
    expect(tail.cut).toBe(true);
  });

  it('keeps the newest lines within 2 KB, and cuts a long line with an ellipsis, never inside a surrogate pair', () => {
    const long = `${'x'.repeat(MAX_LINE_LENGTH - 2)}😀😀😀`;
    const tail = tailOf([...Array.from({ length: 19 }, () => 'y'.repeat(300)), long]);
    expect(tail.lines.at(-1)).toBe(`${'x'.repeat(MAX_LINE_LENGTH - 2)}…`);
    expect(tail.lines.reduce((bytes, line) => bytes + Buffer.byteLength(line) + 1, 0)).toBeLessThanOrEqual(MAX_TAIL_BYTES);
    expect(tail.lines.length).toBeLessThan(20);
    expect(tail.cut).toBe(true);
  });

  it('does not say it cut when every line fits', () => {
    expect(tailOf(['a', 'b\r\nc'])).toEqual({ lines: ['a', 'b', 'c'], cut: false, missing: null });
  });

  it('masks before it cuts, so a cut never leaves half a secret', () => {
    const line = `${'x'.repeat(MAX_LINE_LENGTH - 20)} password=${'s'.repeat(40)}`;
    expect(tailOf([line]).lines[0]).not.toContain('sss');
  });
});

// AWS's documented example key id, put together here so that secret scanners do not take this file for a leak.
const EXAMPLE_KEY_ID = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');

describe('maskCredentials', () => {
  it.each([
    [`AWS_ACCESS_KEY_ID=${EXAMPLE_KEY_ID}`, 'AWS_ACCESS_KEY_ID=AKIAIOSF****'],
    ['temporary ASIAY34FZKBOKMUTVV7A used', 'temporary ASIAY34F**** used'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = ****'],
    ['{"secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', '{"secretAccessKey":"****"}'],
    ['Authorization: Bearer abc.def-ghi_jkl==', 'Authorization: Bearer ****'],
    ['auth Basic dXNlcjpwYXNz', 'auth Basic ****'],
    ['password=hunter2 next', 'password=**** next'],
    ['passwd: hunter2', 'passwd: ****'],
    ['db_password=hunter2&user=x', 'db_password=****&user=x'],
    ['{"token": "abc123", "user": "x"}', '{"token": "****", "user": "x"}'],
    ['secret=s3cr3t; api_key=k-123', 'secret=****; api_key=****'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_1 end', 'jwt **** end'],
    ['redis://default:p4ss@cache:6379', 'redis://default:****@cache:6379'],
  ])('masks %s', (line, masked) => {
    expect(maskCredentials(line)).toBe(masked);
  });

  it('leaves ordinary lines alone', () => {
    for (const line of ['GET /healthz 200 2ms', 'tokens processed: 12', 'https://example.com/path?q=1', 'AKIA is a prefix']) expect(maskCredentials(line)).toBe(line);
  });
});
