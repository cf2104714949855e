import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, type Synthesized, synthRapport } from './synth-rapport.js';

const Suppression = (value: unknown): value is { id: string; reason: string } =>
  typeof value === 'object' &&
  value !== null &&
  'id' in value &&
  typeof value.id === 'string' &&
  'reason' in value &&
  typeof value.reason === 'string';

const suppressionsIn = (metadata: Record<string, unknown>): unknown[] => {
  const nag = metadata.cdk_nag;
  if (typeof nag !== 'object' || nag === null || !('rules_to_suppress' in nag)) return [];
  return Array.isArray(nag.rules_to_suppress) ? nag.rules_to_suppress : [];
};

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  let synthesized: Synthesized;

  // Synth itself runs both packs as validation plugins and throws on an unacknowledged finding.
  beforeAll(() => {
    synthesized = synthRapport({ nag: true });
  });

  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks(undefined, { verbose: true })],
    ['Serverless', () => new ServerlessChecks(undefined, { verbose: true })],
  ])('reports no unacknowledged %s error or warning', (_pack, createPack) => {
    const report = createPack().validateScope(synthesized.app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });

  it('gives every acknowledgment recorded in the template a specific reason', () => {
    const templates = [synthesized.template, Template.fromStack(synthesized.stack.marketerConsole)];
    const suppressions = templates
      .flatMap((template) => Object.values(resourcesOf(template)))
      .flatMap((resource) => suppressionsIn(resource.Metadata));
    expect(suppressions.length).toBeGreaterThan(0);
    for (const suppression of suppressions) {
      expect(Suppression(suppression), JSON.stringify(suppression)).toBe(true);
      if (Suppression(suppression))
        expect(suppression.reason.length, suppression.id).toBeGreaterThanOrEqual(20);
    }
  });

  it('stays clean with the console on a domain of its own and invited admins', () => {
    const withDomain = synthRapport({
      nag: true,
      context: {
        'rapport:consoleDomain': 'console.example.com',
        'rapport:consoleCertificateArn':
          'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
        'rapport:adminEmails': 'ann@example.com',
      },
    });
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(withDomain.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('records why token key rotation is left to the operator', () => {
    const secret = Object.values(resourcesOf(synthesized.template)).find(
      (resource) => resource.Type === 'AWS::SecretsManager::Secret',
    );
    const rotation = suppressionsIn(secret?.Metadata ?? {}).find(
      (suppression) => Suppression(suppression) && suppression.id === 'AwsSolutions-SMG4',
    );
    expect(Suppression(rotation) ? rotation.reason : '').toMatch(/unsubscribe links/);
  });
});
