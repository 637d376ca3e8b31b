import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig } from '../../lib/aws/clients/config.ts';
import dynalite from 'dynalite';
import { ALERT_TABLE } from '../../lib/store/table.ts';

export interface LocalDynamoDb {
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** `http://127.0.0.1:PORT`, for clients configured from the environment (`AWS_ENDPOINT_URL_DYNAMODB`). */
  endpoint: string;
  /** Stops the emulator (later calls fail to connect); safe to call twice. */
  stop(): Promise<void>;
  /** Stops the emulator and the client. */
  close(): Promise<void>;
}

/**
 * Starts dynalite in this process on a random loopback port, with an alert table created from `ALERT_TABLE`, and a
 * real SDK client pointed at it. The client gives up quickly (short timeouts, 2 attempts), so a test of a dead
 * endpoint rejects in about a second instead of hanging. Its document client has default marshalling options, as
 * the store must work with any.
 */
export async function startDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  const tableName = 'alerts';
  await client.send(new CreateTableCommand({ ...ALERT_TABLE, TableName: tableName }));
  // dynalite answers CREATING first, like DynamoDB, and rejects item calls until the table is ACTIVE.
  while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopped ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
    }));
  return {
    client,
    documentClient: DynamoDBDocumentClient.from(client),
    tableName,
    endpoint,
    stop,
    async close() {
      client.destroy();
      await stop();
    },
  };
}

/**
 * A document client for `dynamo` built as the functions build theirs (lib/aws/clients/: 10 s request timeout, 3
 * attempts), for load: the quick-failing test client gives up after 2 s, which a loaded two-core machine running
 * hundreds of requests at once can exceed without anything being wrong. The caller destroys it.
 */
export function functionsClient(dynamo: LocalDynamoDb): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...clientConfig(), endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
}
