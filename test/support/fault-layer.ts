import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
// The SDK's own HTTP handler and its types: transitive dependencies of every @aws-sdk client, used here to wrap the
// real handler rather than to replace it.
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { HttpResponse, type HttpRequest } from '@smithy/core/transport';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

/** What the fault layer does with one request. */
export type FaultAction =
  | { type: 'pass' }
  /**
   * Answers with this response instead of the service's. With `delivered`, the request first goes to the service,
   * which handles it, and the service's reply is dropped: the worst case, the call took effect but the caller hears
   * an error.
   */
  | { type: 'reply'; delivered: boolean; statusCode: number; headers: Record<string, string>; body: string }
  /**
   * Nothing comes back: the request goes to a server that accepts it and never answers, so the SDK's own request
   * timeout fires (a real `TimeoutError` from the Node HTTP handler). With `delivered`, the service handled the
   * request first.
   */
  | { type: 'silence'; delivered: boolean };

/** One call through the layer: the request body, what was done with it, and the real service's status when it saw it. */
export interface FaultCall {
  body: string;
  action: FaultAction;
  /** The service's HTTP status when the request reached it (pass or delivered); null when it never did. */
  serviceStatus: number | null;
}

export interface FaultLayerOptions {
  /** Chooses the action for each request, in the order requests are sent. */
  decide: (request: HttpRequest, body: string) => FaultAction;
  /** The wrapped Node HTTP handler's options, as a client's `requestHandler` would take them. */
  http?: NodeHttpHandlerOptions;
  /**
   * The request timeout of a silenced call (default 50 ms). Healthy calls keep the handler's own, longer one, so a
   * slow machine never turns a healthy call into a timeout nobody injected.
   */
  silenceTimeoutMs?: number;
}

async function consume(body: unknown): Promise<void> {
  if (body instanceof Readable) for await (const _chunk of body) void _chunk;
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '';
}

/**
 * An SDK `requestHandler` that wraps the real `NodeHttpHandler` and injects faults between a client and the emulator
 * it talks to: error replies (throttling, 5xx) before or after the service handled the request, and silence until
 * the client's request timeout. Everything the SDK does around it (signing, retries with their quota and backoff,
 * error parsing) is the SDK's own.
 *
 * @example new SNSClient({ endpoint, requestHandler: new FaultLayer({ decide: () => ({ type: 'pass' }) }) })
 */
export class FaultLayer {
  readonly calls: FaultCall[] = [];
  private readonly inner: NodeHttpHandler;
  private readonly decide: FaultLayerOptions['decide'];
  private readonly silenceTimeoutMs: number;
  private blackHole: Promise<{ server: Server; port: number }> | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(options: FaultLayerOptions) {
    this.inner = new NodeHttpHandler(options.http ?? {});
    this.decide = options.decide;
    this.silenceTimeoutMs = options.silenceTimeoutMs ?? 50;
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const body = bodyText(request.body);
    const action = this.decide(request, body);
    const call: FaultCall = { body, action, serviceStatus: null };
    this.calls.push(call);
    if (action.type === 'pass') {
      const answer = await this.inner.handle(request, options);
      call.serviceStatus = answer.response.statusCode;
      return answer;
    }
    if (action.delivered) {
      const { response } = await this.inner.handle(request, options);
      call.serviceStatus = response.statusCode;
      await consume(response.body);
    }
    if (action.type === 'reply') {
      return { response: new HttpResponse({ statusCode: action.statusCode, headers: action.headers, body: Readable.from([Buffer.from(action.body)]) }) };
    }
    const silent = request.clone();
    silent.hostname = '127.0.0.1';
    silent.port = await this.blackHolePort();
    await this.inner.handle(silent, { ...options, requestTimeout: this.silenceTimeoutMs });
    throw new Error('the silent server answered');
  }

  updateHttpClientConfig(key: keyof NodeHttpHandlerOptions, value: NodeHttpHandlerOptions[typeof key]): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }

  /** Stops the silent server and drops the connections it holds. */
  async close(): Promise<void> {
    this.inner.destroy();
    for (const socket of this.sockets) socket.destroy();
    const hole = await this.blackHole;
    if (hole !== undefined && hole !== null) await new Promise<void>((resolve) => hole.server.close(() => resolve()));
  }

  /** A loopback server that accepts connections, reads what comes and never answers. */
  private async blackHolePort(): Promise<number> {
    this.blackHole ??= new Promise((resolve, reject) => {
      const server = createServer((socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
        socket.resume();
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
    });
    return (await this.blackHole).port;
  }
}

/** An error reply of a Query-protocol service (SNS, SQS's old protocol): `<ErrorResponse><Error><Code>…`. */
export function queryErrorReply(statusCode: number, code: string, message: string, delivered = false): FaultAction {
  const type = statusCode >= 500 ? 'Receiver' : 'Sender';
  return {
    type: 'reply',
    delivered,
    statusCode,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fa017000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
  };
}

/** An error reply of a JSON-protocol service (DynamoDB): `{"__type": "…#Code", "message": …}`. */
export function jsonErrorReply(statusCode: number, type: string, message: string, delivered = false): FaultAction {
  return {
    type: 'reply',
    delivered,
    statusCode,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fa017000-0000-4000-8000-000000000000' },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
  };
}

/**
 * A real AWS SDK client's settings as lib/aws/clients/ gives them (standard retries, `maxAttempts` attempts), talking
 * through a fault layer to a local emulator. The backoff between attempts is cut to milliseconds so that many faulted
 * calls take seconds; which errors are retried, how often and against which retry quota stays the SDK's own.
 */
export function faultedClientOptions(endpoint: string, layer: FaultLayer, config: { maxAttempts: number; retryMode: 'standard' }) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: config.maxAttempts,
    retryMode: config.retryMode,
    retryStrategy: new ConfiguredRetryStrategy(config.maxAttempts, (attempt) => attempt * 2),
    requestHandler: layer,
  };
}

/** A fault layer over the SDK's own HTTP handler, with the request timeout of lib/aws/clients/config.ts cut short for tests. */
export function testFaultLayer(config: { requestHandler: NodeHttpHandlerOptions }, decide: FaultLayerOptions['decide']): FaultLayer {
  return new FaultLayer({ decide, http: { ...config.requestHandler, connectionTimeout: 1_000, requestTimeout: 5_000 } });
}

