import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { freePort } from '../../infra/local/free-port.js';
import { startSesLocal } from '../../infra/local/ses-local.js';
import './support/provided-context.js';

/** One DynamoDB Local and one SES emulator for the whole integration run, on ports nobody else holds. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDbLocal({ port: await freePort() });
  try {
    const ses = await startSesLocal({ port: await freePort() });
    project.provide('dynamodbEndpoint', dynamodb.endpoint);
    project.provide('sesEndpoint', ses.endpoint);
    return async () => {
      await Promise.all([ses.stop(), dynamodb.stop()]);
    };
  } catch (error) {
    await dynamodb.stop();
    throw error;
  }
}
