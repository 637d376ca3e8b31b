import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip, sdkCommandsIn, sdkCommandsInBundle, type SdkCommand } from '../../support/bundle-commands.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const temporaryDirectories: string[] = [];

function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaryDirectories.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temporaryDirectories) rmSync(dir, { recursive: true, force: true });
});

/** A zip as `serverless package` writes one: deflated entries, no directories. */
function writeZip(path: string, files: Record<string, string | Buffer>): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const compressed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, directory, end]));
}

/** Bundles a handler with serverless.yml's esbuild settings and zips it like serverless-esbuild. */
async function packageHandler(source: string): Promise<string> {
  const dir = temporaryDirectory('bundle-commands-');
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: 'functions/fixture.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    target: 'node20',
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    write: false,
    outfile: join(dir, 'functions/fixture.js'),
    logLevel: 'silent',
  });
  const files = Object.fromEntries(result.outputFiles.map((file) => [file.path.slice(dir.length + 1), Buffer.from(file.contents)]));
  const zip = join(dir, 'fixture.zip');
  writeZip(zip, files);
  return zip;
}

const CREDENTIAL_CHAIN: SdkCommand[] = [
  { client: 'SSOClient', command: 'GetRoleCredentialsCommand', action: 'sso:GetRoleCredentials', bundledFor: 'credential-provider' },
  { client: 'SSOOIDCClient', command: 'CreateTokenCommand', action: 'sso-oauth:CreateToken', bundledFor: 'credential-provider' },
  { client: 'STSClient', command: 'AssumeRoleCommand', action: 'sts:AssumeRole', bundledFor: 'credential-provider' },
  { client: 'STSClient', command: 'AssumeRoleWithWebIdentityCommand', action: 'sts:AssumeRoleWithWebIdentity', bundledFor: 'credential-provider' },
  { client: 'SigninClient', command: 'CreateOAuth2TokenCommand', action: 'signin:CreateOAuth2Token', bundledFor: 'credential-provider' },
  { client: 'SigninClient', command: 'CreateOAuth2TokenWithIAMCommand', action: 'signin:CreateOAuth2TokenWithIAM', bundledFor: 'credential-provider' },
];

describe('sdkCommandsIn', () => {
  let snsAndDocumentZip: string;

  beforeAll(async () => {
    snsAndDocumentZip = await packageHandler(`
      import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      import { DynamoDBDocumentClient, GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
      import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
      const sns = new SNSClient({});
      const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      export async function handler(event: { topic: string }) {
        await sns.send(new PublishCommand({ TopicArn: event.topic, Message: 'x' }));
        for await (const page of paginateQuery({ client: db }, { TableName: 't', KeyConditionExpression: 'pk = :p' })) console.log(page.Count);
        await new STSClient({}).send(new AssumeRoleCommand({ RoleArn: event.topic, RoleSessionName: 'x' }));
        return db.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } }));
      }`);
  }, 30_000);

  it('lists exactly the commands the handler imports, document commands as their client command, and tags what the SDK bundles for itself', async () => {
    const commands = await sdkCommandsIn(snsAndDocumentZip);

    expect(commands.filter((command) => command.bundledFor !== 'credential-provider')).toEqual([
      { client: 'DynamoDBClient', command: 'DescribeEndpointsCommand', action: 'dynamodb:DescribeEndpoints', bundledFor: 'endpoint-discovery' },
      { client: 'DynamoDBClient', command: 'GetItemCommand', action: 'dynamodb:GetItem' },
      { client: 'DynamoDBClient', command: 'QueryCommand', action: 'dynamodb:Query' },
      { client: 'DynamoDBClient', command: 'ScanCommand', action: 'dynamodb:Scan', bundledFor: 'unreferenced-paginator' },
      { client: 'SNSClient', command: 'PublishCommand', action: 'sns:Publish' },
      { client: 'STSClient', command: 'AssumeRoleCommand', action: 'sts:AssumeRole' },
    ]);
    // The code's own AssumeRole is the one listed: the credential chain's copy of it does not hide it.
    expect(commands.filter((command) => command.bundledFor === 'credential-provider')).toEqual(CREDENTIAL_CHAIN.filter((command) => command.command !== 'AssumeRoleCommand'));
  });

  it('tells the credential chain\'s STS client from the code\'s own through the source map', async () => {
    const files = await readZip(snsAndDocumentZip);

    const commands = await sdkCommandsInBundle(files.get('functions/fixture.js')!.toString('utf8'), files.get('functions/fixture.js.map')!.toString('utf8'));

    expect(new Set(commands.filter((command) => command.action === 'sts:AssumeRole').map((command) => command.bundledFor))).toEqual(new Set(['credential-provider', undefined]));
  });

  it('lists no SNS command when the handler only constructs the client, as esbuild drops the commands nothing imports', async () => {
    const zip = await packageHandler(`
      import { SNSClient } from '@aws-sdk/client-sns';
      export const handler = () => new SNSClient({}).config.serviceId;`);

    const commands = await sdkCommandsIn(zip);

    expect(commands.filter((command) => command.bundledFor === undefined)).toEqual([]);
  }, 30_000);
});

describe('sdkCommandsInBundle', () => {
  it('reads the class-builder chain of earlier SDK releases', async () => {
    const code = 'var Im=class extends Xe.classBuilder().ep(e).m(function(a,b,c,d){return[]}).s("AmazonSNS","Publish",{}).n("SNSClient","PublishCommand").f(void 0,void 0).ser(x).de(y).build(){static{s(this,"PublishCommand")}};';

    expect(await sdkCommandsInBundle(code)).toEqual([{ client: 'SNSClient', command: 'PublishCommand', action: 'sns:Publish' }]);
  });

  it('tags a command only an unreferenced paginator refers to, and not one a referenced paginator or the code itself uses', async () => {
    const client = 'var B=$t(p,"AmazonSQS","SQSClient",ar);var R=class extends B(a,b,"ReceiveMessage",c){static{s(this,"ReceiveMessageCommand")}};var L=class extends B(a,b,"ListQueues",d){static{s(this,"ListQueuesCommand")}};var P=H(Q,L,"NextToken","NextToken","MaxResults");';

    const unreferenced = await sdkCommandsInBundle(`${client}exports.handler=()=>new R({QueueUrl:"L"});`);
    const referenced = await sdkCommandsInBundle(`${client}exports.handler=()=>P({client:1},{});`);
    const usedDirectly = await sdkCommandsInBundle(`${client}exports.handler=()=>new L({});`);

    expect(unreferenced).toEqual([
      { client: 'SQSClient', command: 'ReceiveMessageCommand', action: 'sqs:ReceiveMessage' },
      { client: 'SQSClient', command: 'ListQueuesCommand', action: 'sqs:ListQueues', bundledFor: 'unreferenced-paginator' },
    ]);
    expect(referenced.map((command) => command.bundledFor)).toEqual([undefined, undefined]);
    expect(usedDirectly.map((command) => command.bundledFor)).toEqual([undefined, undefined]);
  });

  it('throws naming a client it has no IAM prefix for', async () => {
    const code = 'var B=$t(p,"AmazonS3","S3Client",ar);var G=class extends B(a,b,"GetObject",c){static{s(this,"GetObjectCommand")}};';

    await expect(sdkCommandsInBundle(code)).rejects.toThrow('no IAM prefix for S3Client');
  });

  it('throws when a kept class name ends in Command but matches no SDK command shape', async () => {
    const code = 'var C=class extends Foo{static{s(this,"ListThingsCommand")}};';

    await expect(sdkCommandsInBundle(code)).rejects.toThrow('class ListThingsCommand that this parser did not recognise');
  });

  it('throws when credential-chain clients are bundled and no source map tells them from the code\'s own', async () => {
    const code = 'var B=$t(p,"AWSSecurityTokenServiceV20110615","STSClient",ar);var A=class extends B(a,b,"AssumeRole",c){static{s(this,"AssumeRoleCommand")}};';

    await expect(sdkCommandsInBundle(code)).rejects.toThrow('its source map is needed');
  });
});

describe('readZip', () => {
  it('reads the files back and rejects one whose CRC does not match', async () => {
    const dir = temporaryDirectory('read-zip-');
    const good = join(dir, 'good.zip');
    writeZip(good, { 'functions/a.js': 'exports.a=1;', 'functions/a.js.map': '{}' });
    const bytes = readFileSync(good);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(bytes.readUInt32LE(central + 16) ^ 1, central + 16);
    const bad = join(dir, 'bad.zip');
    writeFileSync(bad, bytes);

    const files = await readZip(good);

    expect([...files].map(([name, data]) => [name, data.toString('utf8')])).toEqual([
      ['functions/a.js', 'exports.a=1;'],
      ['functions/a.js.map', '{}'],
    ]);
    await expect(readZip(bad)).rejects.toThrow('functions/a.js fails its CRC check');
  });
});
