import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { FunctionSpec } from '../topology.js';
import { RapportStack } from './rapport-stack.js';
import { readStackConfig } from './stack-config.js';

export interface RapportApp {
  app: App;
  stack: RapportStack;
}

export interface CreateRapportAppOptions extends AppProps {
  topology?: readonly FunctionSpec[];
  /** cdk-nag packs on by default; off only where a test wants the plain template faster. */
  nag?: boolean;
}

export const stackName = 'Rapport';

/**
 * Builds the app from CDK context. cdk-nag v3 runs as a validation plugin
 * (the successor of the v2 Aspect): unacknowledged findings fail synth.
 */
export const createRapportApp = (options: CreateRapportAppOptions = {}): RapportApp => {
  const { topology, nag = true, ...appProps } = options;
  const app = new App(appProps);
  const config = readStackConfig((key) => app.node.tryGetContext(key));
  const stack = new RapportStack(app, stackName, {
    config,
    topology,
    description: 'Rapport: permission-based email marketing (DynamoDB, Lambda, SES v2).',
  });
  if (nag) {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
      new ServerlessChecks(app, { verbose: true }),
    );
  }
  return { app, stack };
};
