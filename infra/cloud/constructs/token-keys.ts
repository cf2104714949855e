import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeOnResource } from './acknowledge.js';

/**
 * The HMAC keys that sign confirmation, unsubscribe and preference links, in
 * the flat JSON shape TokenKeys (lib/config/runtime-env.ts) reads:
 * `{"current":"k1","k1":"<64 characters>"}`, generated at deploy.
 */
export class TokenKeysSecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Rapport token signing keys: {"current": keyId, keyId: secret, ...}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: 'k1' }),
        generateStringKey: 'k1',
        excludePunctuation: true,
        passwordLength: 64,
      },
      // Losing the keys invalidates every unsubscribe link already in inboxes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeOnResource(this.secret, {
      id: 'AwsSolutions-SMG4',
      reason:
        'Automatic rotation would break unsubscribe links that must stay valid for 60+ days; rotation is manual: add a key, make it current, drop the old one after the links expire.',
    });
  }
}
