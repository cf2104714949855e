import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AwsFault, startAwsStandIn } from './aws-stand-in.js';

/**
 * A stand-in for the one Secrets Manager call the functions make, GetSecretValue,
 * speaking the JSON 1.1 protocol of the v3 SDK, so a bundle reads its token keys
 * through the same client and code path as in Lambda. It holds the secrets the
 * local runtime puts in it, in memory, and lists their ARNs (never their values) at
 * `GET /secrets`.
 */

export interface SecretsLocal {
  endpoint: string;
  /** Holds `value` as the current version of the secret with this ARN. */
  put(arn: string, value: string): void;
  stop(): Promise<void>;
}

const jsonType = 'application/x-amz-json-1.1';
const getSecretValueTarget = 'secretsmanager.GetSecretValue';

const GetSecretValueRequest = z.object({
  SecretId: z.string().min(1),
  VersionId: z.string().optional(),
  VersionStage: z.string().optional(),
});

interface HeldSecret {
  arn: string;
  name: string;
  value: string;
  versionId: string;
  createdAt: Date;
}

/** The name in a secret's ARN: `arn:aws:secretsmanager:<region>:<account>:secret:<name>`. */
const nameOf = (arn: string): string => arn.split(':secret:')[1] ?? arn;

export const startSecretsLocal = async (options: { port: number; host?: string }): Promise<SecretsLocal> => {
  const secrets = new Map<string, HeldSecret>();

  const getSecretValue = (body: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      throw new AwsFault(400, 'InvalidRequestException', 'The request body is not valid JSON.');
    }
    const request = GetSecretValueRequest.safeParse(raw);
    if (!request.success)
      throw new AwsFault(400, 'InvalidParameterException', 'SecretId is required and must be a string.');
    const { SecretId: id, VersionId: versionId, VersionStage: stage } = request.data;
    // Secrets Manager takes the ARN or the name.
    const secret = secrets.get(id) ?? [...secrets.values()].find((held) => held.name === id);
    const wrongVersion =
      (versionId !== undefined && versionId !== secret?.versionId) ||
      (stage !== undefined && stage !== 'AWSCURRENT');
    if (secret === undefined || wrongVersion)
      throw new AwsFault(
        400,
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      SecretString: secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdAt.getTime() / 1000,
    };
  };

  const standIn = await startAwsStandIn({
    port: options.port,
    host: options.host,
    listPath: '/secrets',
    listed: () => [...secrets.keys()],
    usage: 'POST Secrets Manager JSON 1.1 actions to /, or GET /secrets\n',
    answer: (body, request) => {
      const target = request.headers['x-amz-target'];
      if (target !== getSecretValueTarget) {
        throw new AwsFault(
          400,
          'UnknownOperationException',
          `The action ${String(target ?? '(none)')} is not valid for this endpoint.`,
        );
      }
      return { status: 200, contentType: jsonType, body: JSON.stringify(getSecretValue(body)) };
    },
    refuse: (fault) => ({
      status: fault.status,
      contentType: jsonType,
      headers: { 'x-amzn-errortype': fault.code },
      body: JSON.stringify({ __type: fault.code, message: fault.message }),
    }),
    internalErrorCode: 'InternalServiceError',
  });

  return {
    endpoint: standIn.endpoint,
    put: (arn, value) => {
      secrets.set(arn, { arn, name: nameOf(arn), value, versionId: randomUUID(), createdAt: new Date() });
    },
    stop: () => standIn.stop(),
  };
};
