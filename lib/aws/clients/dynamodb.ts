import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig } from './config.ts';

let dynamoDocument: DynamoDBDocumentClient | undefined;

/** The DynamoDB document client; attributes whose value is `undefined` are left out of items instead of failing the call. */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  dynamoDocument ??= DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig()), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamoDocument;
}
