import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * An API Gateway REST request context as the cloud hands it to a function:
 * no identity but the source IP unless a test names an IAM caller, and a
 * Cognito authorizer's claims when a test gives them.
 */
export const aRequestContext = (input: {
  method: string;
  path: string;
  authorizer?: APIGatewayProxyEvent['requestContext']['authorizer'];
  userArn?: string | null;
  stage?: string;
}): APIGatewayProxyEvent['requestContext'] => ({
  accountId: '123456789012',
  apiId: 'unit',
  authorizer: input.authorizer ?? null,
  httpMethod: input.method,
  identity: {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: '127.0.0.1',
    user: null,
    userAgent: null,
    userArn: input.userArn ?? null,
  },
  path: input.path,
  protocol: 'HTTP/1.1',
  requestId: 'r-1',
  requestTimeEpoch: 0,
  resourceId: 'unit',
  resourcePath: input.path,
  stage: input.stage ?? 'unit',
});
