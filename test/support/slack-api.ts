import { createServer, type Server } from 'node:http';
import { isRecord } from '../../lib/events/schema.ts';
import type { SlackMessage } from '../../lib/render/slack.ts';

/**
 * A stand-in for Slack's Web API (chat.postMessage, chat.update), as a real HTTP server on 127.0.0.1 (integration
 * tests) or as an in-process `fetch` (unit tests), both answering from the same logic:
 *
 * - a wrong or missing `Authorization: Bearer <token>` gets `{ ok: false, error: 'invalid_auth' }`, as Slack answers;
 * - blocks beyond the documented Block Kit limits get `invalid_blocks`, and text beyond 40,000 characters `msg_too_long`;
 * - chat.postMessage answers `{ ok: true, channel, ts }` with ts `1700000000.000100`, `…000200`, …; a channel given by
 *   name (`#alerts`) answers with the id `C0ALERTS01`, as Slack answers with the id;
 * - tests inject replies per method (`script`) and hold a method's next answer until they release it (`hold`).
 *
 * Every call is recorded with its headers and parsed body.
 */

export interface SlackApiCall {
  method: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

export interface SlackApiReply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
}

/** The id the fake gives a channel named `#alerts`. */
export const NAMED_CHANNEL_ID = 'C0ALERTS01';

export class FakeSlackApi {
  readonly calls: SlackApiCall[] = [];
  private readonly scripts = new Map<string, SlackApiReply[]>();
  private readonly holds = new Map<string, { reached: () => void; released: Promise<void> }[]>();
  private messages = 0;
  private server: Server | null = null;

  constructor(private readonly token: string) {}

  /** The next answers to `method`, in order, before the default ones. */
  script(method: string, ...replies: SlackApiReply[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...replies]);
  }

  /**
   * Holds the next call to `method`: it is recorded at once, answered only after `release()`. `reached` resolves when
   * the call has arrived.
   */
  hold(method: string): { reached: Promise<void>; release: () => void } {
    let release = (): void => undefined;
    let reached = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    this.holds.set(method, [...(this.holds.get(method) ?? []), { reached, released }]);
    return { reached: arrived, release };
  }

  /** The calls to one method, in order. */
  callsTo(method: 'chat.postMessage' | 'chat.update'): SlackApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The answer to one call, after any hold. */
  async answer(method: string, headers: { authorization?: string; contentType?: string }, raw: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isRecord(parsed)) body = parsed;
    } catch {
      // recorded as an empty body; Slack would answer invalid_json
    }
    this.calls.push({ method, authorization: headers.authorization, contentType: headers.contentType, body });
    const holds = this.holds.get(method) ?? [];
    const hold = holds.shift();
    if (hold !== undefined) {
      hold.reached();
      await hold.released;
    }
    const scripted = this.scripts.get(method)?.shift();
    const reply = scripted ?? this.defaultReply(method, headers.authorization, body);
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    return { status: reply.status ?? 200, headers: { 'content-type': 'application/json; charset=utf-8', ...reply.headers }, body: text };
  }

  private defaultReply(method: string, authorization: string | undefined, body: Record<string, unknown>): SlackApiReply {
    if (authorization !== `Bearer ${this.token}`) return { body: { ok: false, error: 'invalid_auth' } };
    if (method !== 'chat.postMessage' && method !== 'chat.update') return { body: { ok: false, error: 'unknown_method' } };
    if (typeof body.channel !== 'string' || body.channel === '') return { body: { ok: false, error: 'channel_not_found' } };
    const problems = messageProblems(body);
    if (problems.length > 0) {
      const tooLong = problems.some((problem) => problem.startsWith('text'));
      return { body: { ok: false, error: tooLong ? 'msg_too_long' : 'invalid_blocks', response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) } } };
    }
    const channel = body.channel.startsWith('#') ? NAMED_CHANNEL_ID : body.channel;
    if (method === 'chat.update') {
      if (typeof body.ts !== 'string') return { body: { ok: false, error: 'message_not_found' } };
      return { body: { ok: true, channel, ts: body.ts, text: body.text } };
    }
    this.messages += 1;
    const ts = `1700000000.${String(this.messages * 100).padStart(6, '0')}`;
    return { body: { ok: true, channel, ts, message: { text: body.text, ts } } };
  }

  /** Node's `fetch` signature, answered in process: for unit tests. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    const answer = await this.answer(url.pathname.replace(/^.*\//u, ''), { authorization: headers.get('authorization') ?? undefined, contentType: headers.get('content-type') ?? undefined }, String(init?.body ?? ''));
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };

  /** Starts the HTTP server on 127.0.0.1 and resolves its API base URL (`http://127.0.0.1:PORT/api`). */
  async listen(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const method = (request.url ?? '').replace(/^\/api\//u, '');
        void this.answer(method, { authorization: request.headers.authorization, contentType: request.headers['content-type'] }, Buffer.concat(chunks).toString('utf8')).then((answer) => {
          response.writeHead(answer.status, answer.headers);
          response.end(answer.body);
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fake Slack API is not listening on a TCP port');
    return `http://127.0.0.1:${address.port}/api`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
  }

  /** Forgets calls, scripts and holds, and numbers messages from `…000100` again. */
  reset(): void {
    this.calls.length = 0;
    this.messages = 0;
    this.scripts.clear();
    this.holds.clear();
  }
}

/**
 * What Slack would reject in a chat.postMessage or chat.update body: Block Kit limits of the blocks in the attachment
 * (https://docs.slack.dev/reference/block-kit/blocks: at most 50 blocks; header text 150; section text 3000, 10
 * fields of 2000; context 10 elements; actions 25 elements; button text 75, url 3000, action_id 255) and the 40,000
 * characters Slack truncates text at (https://docs.slack.dev/reference/methods/chat.postMessage).
 */
export function messageProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof body.text !== 'string' || body.text === '') problems.push('text: missing (the notification fallback)');
  else if (body.text.length > 40_000) problems.push(`text: ${body.text.length} characters, more than 40000`);
  const attachments = Array.isArray(body.attachments) ? (body.attachments as SlackMessage['attachments'][number][]) : [];
  for (const [index, attachment] of attachments.entries()) {
    const blocks = attachment.blocks;
    if (blocks.length > 50) problems.push(`attachments/${index}/blocks: ${blocks.length} blocks, more than 50`);
    for (const [at, block] of blocks.entries()) {
      const where = `attachments/${index}/blocks/${at}`;
      switch (block.type) {
        case 'header':
          if (block.text.text.length > 150) problems.push(`${where}/text: more than 150 characters`);
          if (block.text.type !== 'plain_text') problems.push(`${where}/text: not plain_text`);
          break;
        case 'section':
          if (block.text === undefined && (block.fields ?? []).length === 0) problems.push(`${where}: neither text nor fields`);
          if (block.text !== undefined && (block.text.text.length > 3000 || block.text.text.length === 0)) problems.push(`${where}/text: ${block.text.text.length} characters, not 1 to 3000`);
          if ((block.fields ?? []).length > 10) problems.push(`${where}/fields: more than 10`);
          for (const field of block.fields ?? []) if (field.text.length > 2000) problems.push(`${where}/fields: a field of more than 2000 characters`);
          break;
        case 'context':
          if (block.elements.length > 10 || block.elements.length === 0) problems.push(`${where}/elements: not 1 to 10`);
          break;
        case 'actions':
          if (block.elements.length > 25) problems.push(`${where}/elements: more than 25`);
          for (const button of block.elements) {
            if (button.text.text.length > 75) problems.push(`${where}: button text of more than 75 characters`);
            if (button.url.length > 3000) problems.push(`${where}: button url of more than 3000 characters`);
            if (button.action_id.length > 255) problems.push(`${where}: action_id of more than 255 characters`);
          }
          break;
      }
    }
  }
  return problems;
}
