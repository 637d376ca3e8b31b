import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig } from '../aws/clients/config.ts';
import { DynamoDbStore } from '../store/dynamodb-store.ts';
import type { HistoryReader, HistoryTarget } from './command.ts';

/**
 * The history of the alert table `target` names, read through a client of its own: the command runs on a person's
 * machine, unbundled, so the SDK's whole credential chain applies (profiles, SSO, credential processes), and the
 * Region and endpoint are the ones given, else the standard configuration's (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB).
 * `close` releases the client's connections.
 */
export function tableHistoryReader(target: HistoryTarget): HistoryReader {
  const client = new DynamoDBClient({
    ...clientConfig(),
    ...(target.region === null ? {} : { region: target.region }),
    ...(target.endpoint === null ? {} : { endpoint: target.endpoint }),
  });
  const store = new DynamoDbStore(DynamoDBDocumentClient.from(client), target.tableName);
  return { stoppedTasks: (query) => store.stoppedTasks(query), close: () => client.destroy() };
}
