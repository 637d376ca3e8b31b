import { readFile } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import type { Node } from 'typescript';

/**
 * Lists the AWS SDK v3 commands a Lambda bundle contains, from the zip `serverless package` writes (serverless-esbuild:
 * one minified CommonJS file per function, with `keepNames` and a linked source map).
 *
 * What the SDK (3.1164, @smithy/core 3.41) looks like once bundled: each client module makes one command builder,
 * `command = makeBuilder(commonParams, "<smithy service>", "<Client name>", getEndpointPlugin)`, minified to
 * `TL=$t(tL,"AmazonSimpleNotificationService","SNSClient",ar)`; each command is
 * `class PublishCommand extends command(_ep0, _mw0, "Publish", Publish$)`, minified to
 * `var Im=class extends TL(AL,IL,"Publish",yL){static{s(this,"PublishCommand")}}`. The `.s("AmazonSNS","Publish",{})
 * .n("SNSClient","PublishCommand")` class-builder chain of earlier SDK releases is read too. With the ESM builds
 * (mainFields module first), esbuild drops the commands nothing imports, so the list is what the code imports, plus
 * the few the SDK bundles for itself, which `bundledFor` names. lib-dynamodb's document commands (GetCommand...) wrap
 * the client's commands (GetItemCommand...), which is what appears here and what IAM authorizes (dynamodb:GetItem).
 *
 * The zip is read with node:zlib and its central directory rather than yauzl: yauzl is only a transitive dependency
 * of osls (importing it would need it and @types/yauzl declared), and reading stored or deflated entries takes 40 lines.
 */

export interface SdkCommand {
  client: string;
  command: string;
  /** The IAM action the command needs: `<signing prefix>:<operation>`. */
  action: string;
  /**
   * Set when the SDK bundles the command for itself and the function's code does not call it:
   * - `credential-provider`: a client of @aws-sdk/nested-clients that the default credential chain may use (SSO, SSO
   *   OIDC, sign-in, STS for web identity and assume-role profiles); a Lambda function takes its credentials from the
   *   environment, so the chain stops before them.
   * - `endpoint-discovery`: the command a client uses for endpoint discovery (DynamoDB's DescribeEndpoints), which is
   *   off unless enabled by configuration.
   * - `unreferenced-paginator`: kept only by a module-level `createPaginator(...)` whose result nothing references
   *   (lib-dynamodb's paginateScan when paginateQuery is imported): esbuild keeps the call, which is not marked pure.
   */
  bundledFor?: 'credential-provider' | 'endpoint-discovery' | 'unreferenced-paginator';
}

/** IAM service prefixes by SDK client; an SDK client missing here throws, naming it. */
export const IAM_PREFIX_BY_CLIENT: Readonly<Record<string, string>> = {
  SNSClient: 'sns',
  DynamoDBClient: 'dynamodb',
  ECSClient: 'ecs',
  SSMClient: 'ssm',
  SecretsManagerClient: 'secretsmanager',
  STSClient: 'sts',
  SQSClient: 'sqs',
  LambdaClient: 'lambda',
  CloudWatchLogsClient: 'logs',
  KMSClient: 'kms',
  // The credential chain's own clients; their operations are bearer-token or unsigned, so no policy grants them.
  SSOClient: 'sso',
  SSOOIDCClient: 'sso-oauth',
  SigninClient: 'signin',
};

/** The commands in every JavaScript file of a Lambda zip, sorted by client and command, each once. */
export async function sdkCommandsIn(zipPath: string): Promise<SdkCommand[]> {
  const entries = await readZip(zipPath);
  const commands = new Map<string, SdkCommand>();
  for (const [name, data] of entries) {
    if (!/\.(c|m)?js$/.test(name)) continue;
    const map = entries.get(`${name}.map`);
    for (const command of await sdkCommandsInBundle(data.toString('utf8'), map?.toString('utf8'))) {
      const key = `${command.client}.${command.command}`;
      const known = commands.get(key);
      // Reached by the code in any file of the zip: the function may call it.
      if (known === undefined || (known.bundledFor !== undefined && command.bundledFor === undefined)) commands.set(key, command);
    }
  }
  // Code-unit order, not localeCompare, so that the order does not depend on the machine's locale.
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...commands.values()].sort((a, b) => order(a.client, b.client) || order(a.command, b.command));
}

/**
 * The commands in one bundled file. The source map tells the credential chain's clients (@aws-sdk/nested-clients)
 * from the function's own; without it, a bundle holding one of the clients the chain uses throws rather than guess.
 */
export async function sdkCommandsInBundle(code: string, sourceMap?: string): Promise<SdkCommand[]> {
  const sourceOf = sourceMap === undefined ? undefined : sourceLookup(code, sourceMap);
  const builders = [...code.matchAll(/(?<![\w$.])([\w$]+)=[\w$]+\([\w$]+,"([\w.-]+)","(\w+Client)",[\w$]+\)/g)].map((match) => ({
    variable: match[1]!,
    client: match[3]!,
    at: match.index,
  }));
  const found: (SdkCommand & { variable?: string; at: number })[] = [];
  for (const match of code.matchAll(/(?:(?<![\w$.])([\w$]+)=)?class extends ([\w$]+)\([^"()]{0,200}"(\w+)",[\w$]+\)\{(?:static\{[\w$]+\(this,"(\w+)"\)\})?/g)) {
    const [, variable, builderVariable, operation, keptName] = match;
    // The nearest builder of that name before the class: CommonJS wrappers may reuse a minified name.
    const builder = builders.filter((each) => each.variable === builderVariable && each.at < match.index).at(-1);
    if (builder === undefined) continue;
    const command = `${operation!}Command`;
    if (keptName !== undefined && keptName !== command) throw new Error(`class ${keptName} is built for operation ${operation!}: the bundle's shape is not what this parser knows`);
    found.push({ client: builder.client, command, action: actionOf(builder.client, operation!), ...(variable === undefined ? {} : { variable }), at: match.index });
  }
  for (const match of code.matchAll(/\.s\("[\w.-]+","(\w+)",\{[^{}]*\}\)\.n\("(\w+Client)","(\w+Command)"\)/g)) {
    const [, operation, client, command] = match;
    const start = code.lastIndexOf('class extends', match.index);
    const variable = /([\w$]+)=class extends\s*$/.exec(code.slice(Math.max(0, start - 40), start + 'class extends'.length))?.[1];
    found.push({ client: client!, command: command!, action: actionOf(client!, operation!), ...(variable === undefined ? {} : { variable }), at: match.index });
  }
  checkEveryCommandClassIsKnown(code, new Set(found.map((each) => each.command)));

  const unreferenced = await unreferencedPaginatorCommands(code);
  const chainClients = new Set(['SSOClient', 'SSOOIDCClient', 'SigninClient', 'STSClient']);
  if (sourceOf === undefined && found.some((each) => chainClients.has(each.client))) {
    throw new Error('the bundle holds clients the default credential chain uses (SSO, STS...): its source map is needed to tell them from the code\'s own');
  }
  return found.map(({ variable, at, ...command }) => {
    const source = sourceOf?.(at) ?? '';
    const bundledFor: SdkCommand['bundledFor'] = source.includes('/@aws-sdk/nested-clients/')
      ? 'credential-provider'
      : variable !== undefined && new RegExp(`endpointDiscoveryCommandCtor:${escape(variable)}(?![\\w$])`).test(code)
        ? 'endpoint-discovery'
        : variable !== undefined && unreferenced.has(variable)
          ? 'unreferenced-paginator'
          : undefined;
    return bundledFor === undefined ? command : { ...command, bundledFor };
  });
}

function actionOf(client: string, operation: string): string {
  const prefix = IAM_PREFIX_BY_CLIENT[client];
  if (prefix === undefined) throw new Error(`no IAM prefix for ${client}: add it to IAM_PREFIX_BY_CLIENT in test/support/bundle-commands.ts`);
  return `${prefix}:${operation}`;
}

function escape(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** With keepNames every class keeps its name: a `…Command` class the patterns above missed means the SDK's shape moved. */
function checkEveryCommandClassIsKnown(code: string, parsed: Set<string>): void {
  const wrappers = new Set([...code.matchAll(/class extends [\w$]+\{static\{[\w$]+\(this,"(\w+Command)"\)\}input;inputKeyNodes=/g)].map((match) => match[1]!));
  const bases = new Set(['DynamoDBDocumentClientCommand']);
  for (const match of code.matchAll(/\(this,"(\w+Command)"\)/g)) {
    const name = match[1]!;
    if (!parsed.has(name) && !wrappers.has(name) && !bases.has(name)) throw new Error(`the bundle has a class ${name} that this parser did not recognise as an SDK command`);
  }
}

/**
 * Identifier occurrences in the bundle, from TypeScript's parser so that names inside strings and regular expressions
 * (a class minified to `ca` and the "ca-central-1" of the endpoint rules) do not count. Property names after a dot
 * are left out; the remaining over-counting (object keys, shadowing locals) only makes a command look used.
 */
async function identifierCounts(code: string): Promise<Map<string, number>> {
  const { default: ts } = await import('typescript');
  const counts = new Map<string, number>();
  const visit = (node: Node, parent: Node | undefined): void => {
    // A member's name (`x.ep`, a method `ep(){}`, a key `{ep: 1}`) is not a reference to the variable `ep`.
    const memberName =
      parent !== undefined &&
      (ts.isPropertyAccessExpression(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) &&
      parent.name === node;
    if (ts.isIdentifier(node) && !memberName) {
      counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
    }
    ts.forEachChild(node, (child) => visit(child, node));
  };
  visit(ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS), undefined);
  return counts;
}

/**
 * Command classes referenced only through `P=createPaginator(Client,Command,"in","out","size")` with P referenced
 * nowhere else, directly or through the lib-dynamodb document command that wraps them.
 */
async function unreferencedPaginatorCommands(code: string): Promise<Set<string>> {
  const paginators = [...code.matchAll(/(?<![\w$.])([\w$]+)=[\w$]+\([\w$]+,([\w$]+),"[\w.]+","[\w.]+",(?:"[\w.]*"|void 0)\)/g)];
  const unused = new Set<string>();
  if (paginators.length === 0) return unused;
  const counts = await identifierCounts(code);
  const references = (name: string): number => (counts.get(name) ?? 0) - 1;
  const deadEdges = new Map<string, number>();
  for (const [, paginator, command] of paginators) {
    if (references(paginator!) === 0) deadEdges.set(command!, (deadEdges.get(command!) ?? 0) + 1);
  }
  for (const [name, dead] of deadEdges) {
    if (references(name) !== dead) continue;
    unused.add(name);
    // A document command wraps the client command it constructs: that one goes too when nothing else refers to it.
    // The static block that names the class is there only when the bundle keeps names (esbuild's keepNames).
    const wrapper = new RegExp(`(?<![\\w$.])${escape(name)}=class extends [\\w$]+\\{(?:static\\{[\\w$]+\\(this,"\\w+Command"\\)\\})?input;[^]{0,4000}?this\\.clientCommand=new ([\\w$]+)\\(`).exec(code);
    const wrapped = wrapper?.[1];
    if (wrapped !== undefined && references(wrapped) === 1 + (deadEdges.get(wrapped) ?? 0)) unused.add(wrapped);
  }
  return unused;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Maps an offset in the generated code to the source file it came from, through a version 3 source map. */
function sourceLookup(code: string, sourceMap: string): (offset: number) => string | undefined {
  const map: unknown = JSON.parse(sourceMap);
  if (typeof map !== 'object' || map === null || !('mappings' in map) || !('sources' in map) || typeof map.mappings !== 'string' || !Array.isArray(map.sources)) {
    throw new Error('not a version 3 source map');
  }
  const sources: unknown[] = map.sources;
  // Per generated line, the segments' [generated column, source index], in column order.
  const lines: [number, number][][] = [];
  let source = 0;
  for (const line of map.mappings.split(';')) {
    const segments: [number, number][] = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        source += fields[1] ?? 0;
        segments.push([column, source]);
      }
    }
    lines.push(segments);
  }
  const lineStarts = [0];
  for (let index = code.indexOf('\n'); index >= 0; index = code.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  return (offset) => {
    let line = lineStarts.length - 1;
    while (line > 0 && lineStarts[line]! > offset) line -= 1;
    const column = offset - lineStarts[line]!;
    const segments = lines[line] ?? [];
    let low = 0;
    let high = segments.length - 1;
    let best: number | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (segments[middle]![0] <= column) {
        best = segments[middle]![1];
        low = middle + 1;
      } else high = middle - 1;
    }
    const name = best === undefined ? undefined : sources[best];
    return typeof name === 'string' ? name : undefined;
  };
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const character of segment) {
    const digit = BASE64.indexOf(character);
    if (digit < 0) throw new Error(`bad source map segment ${segment}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** The files of a zip (stored or deflated entries, no ZIP64), by name, checked against their CRC-32. */
export async function readZip(zipPath: string): Promise<Map<string, Buffer>> {
  const zip = await readFile(zipPath);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > zip.length) throw new Error(`${zipPath}: no end of central directory record`);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new Error(`${zipPath}: ZIP64 archives are not supported`);
  const files = new Map<string, Buffer>();
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${zipPath}: bad central directory entry ${index}`);
    const method = zip.readUInt16LE(offset + 10);
    const crc = zip.readUInt32LE(offset + 16);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (zip.readUInt32LE(localHeader) !== 0x04034b50) throw new Error(`${zipPath}: bad local header for ${name}`);
    const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const raw = zip.subarray(start, start + compressedSize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
    if (data === undefined) throw new Error(`${zipPath}: ${name} uses compression method ${method}`);
    if (crc32(data) !== crc) throw new Error(`${zipPath}: ${name} fails its CRC check`);
    files.set(name, data);
  }
  return files;
}
