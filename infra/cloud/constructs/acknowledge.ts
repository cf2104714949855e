import { type Acknowledgment, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on the CloudFormation resource itself rather
 * than its L2 wrapper, so nothing created beneath the wrapper later (an event
 * source mapping under a function, a stage under an API) inherits them.
 */
export const acknowledgeOnResource = (construct: IConstruct, ...rules: Acknowledgment[]): void => {
  Validations.of(construct.node.defaultChild ?? construct).acknowledge(...rules);
};
