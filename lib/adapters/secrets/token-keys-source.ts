import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RuntimeEnv } from '../../config/runtime-env.js';
import { InvalidEnvironmentError, TokenKeys } from '../../config/runtime-env.js';

/** A secret's string value by its id (an ARN), or undefined when it has none. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

export interface SecretsConnection {
  region: string;
  /** Set for a local stand-in; absent in AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Secrets Manager, with one client for the instance: the keys are read again every few minutes. */
export const secretsManagerReader = (connection: SecretsConnection): SecretReader => {
  let client: SecretsManagerClient | undefined;
  return async (secretId) => {
    client ??= new SecretsManagerClient({
      region: connection.region,
      ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
      ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
    });
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return secret.SecretString;
  };
};

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

/**
 * Reads the link-signing keys, afresh on every call (the caller caches). Locally
 * they sit in TOKEN_KEYS; in the cloud they live in the Secrets Manager secret
 * TOKEN_KEYS_SECRET_ARN names, and never in the environment.
 */
export const tokenKeysSource = (env: RuntimeEnv, readSecret: SecretReader): (() => Promise<TokenKeys>) => {
  const { TOKEN_KEYS: inline, TOKEN_KEYS_SECRET_ARN: secretId } = env;
  if (inline !== undefined) return async () => parseKeys(inline, 'TOKEN_KEYS');
  if (secretId === undefined) {
    return async () => {
      throw new InvalidEnvironmentError(
        'TOKEN_KEYS or TOKEN_KEYS_SECRET_ARN must be set for functions that sign links',
      );
    };
  }
  return async () => {
    const json = await readSecret(secretId);
    if (json === undefined) throw new InvalidEnvironmentError(`${secretId} has no string value`);
    return parseKeys(json, secretId);
  };
};
