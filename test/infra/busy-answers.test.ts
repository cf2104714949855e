import { describe, expect, it } from 'vitest';
import { resourcesOfType, synthRapport } from './synth-rapport.js';

describe('when the cloud API is over capacity', () => {
  it('answers a throttled caller 429 and a throttled function 503, each with Retry-After', () => {
    const { template } = synthRapport();
    const answers = resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').map(
      ([, resource]) => resource.Properties,
    );

    expect(answers).toContainEqual(
      expect.objectContaining({
        ResponseType: 'THROTTLED',
        StatusCode: '429',
        ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" },
      }),
    );
    expect(answers).toContainEqual(
      expect.objectContaining({
        ResponseType: 'INTEGRATION_FAILURE',
        StatusCode: '503',
        ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" },
      }),
    );
  });
});

describe('when a caller of the cloud admin API brings credentials that are refused', () => {
  it('answers every kind of refusal with the same status and body as missing credentials', () => {
    const { template } = synthRapport();
    const answers = resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').map(
      ([, resource]) => resource.Properties,
    );
    const refusals = [
      'MISSING_AUTHENTICATION_TOKEN',
      'UNAUTHORIZED',
      'INVALID_SIGNATURE',
      'EXPIRED_TOKEN',
      'ACCESS_DENIED',
    ].map((type) => answers.find((answer) => answer?.ResponseType === type));

    for (const refusal of refusals) expect(refusal).toMatchObject({ StatusCode: '403' });
    expect(new Set(refusals.map((refusal) => JSON.stringify(refusal?.ResponseTemplates))).size).toBe(1);
  });
});
