import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordedBody } from './api-responses.ts';

/** What the STS stand-in does with an AssumeRole. */
export type StsFault = 'access denied' | 'throttled' | 'silent';

/** One request as it reached the stand-in, with its SigV4 credential scope. */
export interface LoopbackRequest {
  /** The service of the credential scope: `sts` or `ecs`. */
  service: string | null;
  /** The STS `Action`, or the ECS operation of `X-Amz-Target`. */
  operation: string;
  accessKeyId: string | null;
  scopeRegion: string | null;
  /** The `X-Amz-Security-Token` header: the session token of temporary credentials. */
  securityToken: string | null;
  /** The STS form parameters, or the ECS JSON body. */
  params: Record<string, unknown>;
}

export interface LoopbackAwsOptions {
  /** The access key id of the caller's own credentials, and its account. */
  ownKey: { accessKeyId: string; account: string };
  /** The recorded ECS answers (`events/api/…` paths by operation) each account's credentials get. */
  recordings: Record<string, Partial<Record<string, string>>>;
}

/**
 * A loopback HTTP server standing in for STS (Query protocol: form-encoded requests, XML answers) and ECS (JSON 1.1,
 * answering the recorded bodies of `events/api/`), for clients pointed at it with `AWS_ENDPOINT_URL_STS` and
 * `AWS_ENDPOINT_URL_ECS`. Each request is told apart by the service of its SigV4 credential scope and recorded with
 * the access key id and Region that signed it.
 *
 * STS issues, for `AssumeRole` of `arn:…:iam::<account>:role/…`, numbered credentials valid for an hour, in the
 * response shape of https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, or meets `stsFault`.
 * ECS answers a request with the recording of the account whose credentials signed it, and refuses the others as
 * ECS refuses a caller without the permission (`AccessDeniedException`).
 */
export class LoopbackAws {
  readonly requests: LoopbackRequest[] = [];
  /** When set, every AssumeRole meets this fault. */
  stsFault: StsFault | null = null;
  private readonly accounts = new Map<string, string>();
  private readonly held = new Set<ServerResponse>();
  private issued = 0;
  private readonly server = createServer((request, response) => void this.handle(request, response));

  private constructor(private readonly options: LoopbackAwsOptions) {
    this.accounts.set(options.ownKey.accessKeyId, options.ownKey.account);
  }

  /** Starts a stand-in on a free loopback port. */
  static async start(options: LoopbackAwsOptions): Promise<LoopbackAws> {
    const aws = new LoopbackAws(options);
    await new Promise<void>((resolve) => aws.server.listen(0, '127.0.0.1', resolve));
    return aws;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Forgets the requests and credentials of earlier tests, and lets STS answer again. */
  reset(): void {
    this.requests.length = 0;
    this.stsFault = null;
    this.issued = 0;
    this.accounts.clear();
    this.accounts.set(this.options.ownKey.accessKeyId, this.options.ownKey.account);
  }

  /** The requests of one service. */
  of(service: 'sts' | 'ecs'): LoopbackRequest[] {
    return this.requests.filter((request) => request.service === service);
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string): string | null => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : null;
    };
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header('authorization') ?? '');
    const service = scope?.[3] ?? null;
    const target = header('x-amz-target') ?? '';
    const form = new URLSearchParams(body);
    const recorded: LoopbackRequest = {
      service,
      operation: service === 'sts' ? (form.get('Action') ?? '') : target.slice(target.indexOf('.') + 1),
      accessKeyId: scope?.[1] ?? null,
      scopeRegion: scope?.[2] ?? null,
      securityToken: header('x-amz-security-token'),
      params: service === 'sts' ? Object.fromEntries(form) : (JSON.parse(body || '{}') as Record<string, unknown>),
    };
    this.requests.push(recorded);
    if (service === 'sts') this.answerSts(recorded, response);
    else this.answerEcs(recorded, response);
  }

  private answerSts(request: LoopbackRequest, response: ServerResponse): void {
    const roleArn = String(request.params.RoleArn ?? '');
    const xml = (status: number, text: string): void => {
      response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'c6104cbe-af31-11e0-8154-cbc7ccf896c7' });
      response.end(text);
    };
    const error = (status: number, code: string, message: string): void =>
      xml(
        status,
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`,
      );
    switch (this.stsFault) {
      case 'silent':
        this.held.add(response);
        response.on('close', () => this.held.delete(response));
        return;
      case 'access denied':
        return error(403, 'AccessDenied', `User: arn:aws:sts::${this.options.ownKey.account}:assumed-role/notifier/fn is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      case 'throttled':
        return error(400, 'Throttling', 'Rate exceeded');
      case null:
        break;
    }
    const account = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
    if (account === null) return error(400, 'ValidationError', `${roleArn} is not a role ARN`);
    this.issued += 1;
    const accessKeyId = `ASIAMEMBER${this.issued}EXAMPLE`;
    this.accounts.set(accessKeyId, account[1] ?? '');
    const session = String(request.params.RoleSessionName ?? '');
    const expiration = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    xml(
      200,
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::${account[1] ?? ''}:assumed-role/${account[2] ?? ''}/${session}</Arn>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:${session}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>session-token-${this.issued}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>`,
    );
  }

  private answerEcs(request: LoopbackRequest, response: ServerResponse): void {
    const account = this.accounts.get(request.accessKeyId ?? '');
    const path = account === undefined ? undefined : this.options.recordings[account]?.[request.operation];
    response.writeHead(path === undefined ? 400 : 200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'b1a1c2d3-0000-4000-8000-000000000000' });
    response.end(
      path === undefined
        ? JSON.stringify({ __type: 'AccessDeniedException', message: `User: ${request.accessKeyId ?? 'anonymous'} is not authorized to perform: ecs:${request.operation}` })
        : recordedBody(path),
    );
  }
}
