import { afterAll, beforeAll, inject } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { type EventBridgeLocal, startEventBridgeLocal } from '../../../infra/local/eventbridge-local.js';
import { freePort } from '../../../infra/local/free-port.js';
import { type SnsLocal, startSnsLocal } from '../../../infra/local/sns-local.js';
import { EventBridgePublisher } from '../../../lib/adapters/eventbridge/eventbridge-publisher.js';
import { SesMailer } from '../../../lib/adapters/ses/ses-mailer.js';
import { SnsTexter } from '../../../lib/adapters/sns/sns-texter.js';
import { eventPublisherContract } from '../../contracts/event-publisher.contract.js';
import { mailerContract } from '../../contracts/mailer.contract.js';
import { texterContract } from '../../contracts/texter.contract.js';
import '../support/provided-context.js';

let sns: SnsLocal;
let eventBridge: EventBridgeLocal;
beforeAll(async () => {
  sns = await startSnsLocal({ port: await freePort(), quiet: true });
  eventBridge = await startEventBridgeLocal({
    port: await freePort(),
    quiet: true,
    eventBusNames: ['rapport'],
  });
});
afterAll(async () => {
  await Promise.all([sns?.stop(), eventBridge?.stop()]);
});

const local = { region: localRegion, credentials: localCredentials };

mailerContract(
  'SES (the local emulator)',
  async () => new SesMailer({ ...local, endpoint: inject('sesEndpoint') }),
);

texterContract('SNS (the local endpoint)', async () => ({
  texter: new SnsTexter({ ...local, endpoint: sns.endpoint }),
  optOut: (number) => sns.optOut(number),
}));

eventPublisherContract('EventBridge (the local endpoint)', async () => ({
  publisher: new EventBridgePublisher({ ...local, endpoint: eventBridge.endpoint, eventBusName: 'rapport' }),
  published: () => eventBridge.events().map((event) => event.detail),
}));
