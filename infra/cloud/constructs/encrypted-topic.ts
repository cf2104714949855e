import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * An SNS topic encrypted with the stack's topic key, TLS only, that an AWS
 * service (SES, CloudWatch) publishes to: the service may use the key, since
 * SNS asks the publisher to encrypt.
 */
export const encryptedTopic = (
  scope: Construct,
  id: string,
  props: { displayName: string; key: kms.IKey; publisher: string },
): sns.Topic => {
  const topic = new sns.Topic(scope, id, {
    displayName: props.displayName,
    enforceSSL: true,
    masterKey: props.key,
  });
  props.key.grant(new iam.ServicePrincipal(props.publisher), 'kms:GenerateDataKey*', 'kms:Decrypt');
  return topic;
};
