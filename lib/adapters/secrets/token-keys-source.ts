import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RuntimeEnv } from '../../config/runtime-env.js';
import { InvalidEnvironmentError, TokenKeys } from '../../config/runtime-env.js';

const parseKeys = (json: string, where: string): TokenKeys => {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new InvalidEnvironmentError(`${where}: token keys are not valid JSON`);
  }
  const result = TokenKeys.safeParse(raw);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      `${where}: ${result.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  }
  return result.data;
};

/** Locally the keys sit in TOKEN_KEYS; in the cloud they live in Secrets Manager and never in the environment. */
export const loadTokenKeys = async (env: RuntimeEnv): Promise<TokenKeys> => {
  if (env.TOKEN_KEYS !== undefined) return parseKeys(env.TOKEN_KEYS, 'TOKEN_KEYS');
  if (env.TOKEN_KEYS_SECRET_ARN === undefined) {
    throw new InvalidEnvironmentError(
      'TOKEN_KEYS or TOKEN_KEYS_SECRET_ARN must be set for functions that sign links',
    );
  }
  const client = new SecretsManagerClient({
    region: env.AWS_REGION,
    ...(env.SECRETS_ENDPOINT === undefined ? {} : { endpoint: env.SECRETS_ENDPOINT }),
  });
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: env.TOKEN_KEYS_SECRET_ARN }));
    if (secret.SecretString === undefined) {
      throw new InvalidEnvironmentError(`${env.TOKEN_KEYS_SECRET_ARN} has no string value`);
    }
    return parseKeys(secret.SecretString, env.TOKEN_KEYS_SECRET_ARN);
  } finally {
    client.destroy();
  }
};
