import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { type SecretsLocal, startSecretsLocal } from '../../../infra/local/secrets-local.js';

let secrets: SecretsLocal;
let client: SecretsManagerClient;
const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:TokenKeysSecret';
const keys = JSON.stringify({ current: 'k1', k1: 'x'.repeat(48) });

beforeAll(async () => {
  secrets = await startSecretsLocal({ port: 0 });
  secrets.put(arn, keys);
  client = new SecretsManagerClient({
    region: localRegion,
    endpoint: secrets.endpoint,
    credentials: localCredentials,
  });
});
afterAll(async () => {
  client.destroy();
  await secrets.stop();
});

describe('the local Secrets Manager', () => {
  it('answers GetSecretValue by ARN with the current version, through the SDK', async () => {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: arn }));

    expect(secret).toMatchObject({
      ARN: arn,
      Name: 'TokenKeysSecret',
      SecretString: keys,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: expect.any(Date),
    });
  });

  it('answers by name as well', async () => {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: 'TokenKeysSecret' }));

    expect(secret.SecretString).toBe(keys);
  });

  describe('when the secret or the version is not there', () => {
    it("refuses with the SDK's ResourceNotFoundException", async () => {
      await expect(client.send(new GetSecretValueCommand({ SecretId: `${arn}-gone` }))).rejects.toThrow(
        ResourceNotFoundException,
      );
      await expect(
        client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' })),
      ).rejects.toThrow(ResourceNotFoundException);
    });
  });

  it('lists the ARNs it holds, never their values', async () => {
    const listed = await (await fetch(`${secrets.endpoint}/secrets`)).text();

    expect(JSON.parse(listed)).toEqual([arn]);
    expect(listed).not.toContain('x'.repeat(48));
  });
});
