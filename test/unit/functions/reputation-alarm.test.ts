import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReputationAlarmDeps } from '../../../functions/topic/reputation-alarm.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { cloudWatchAlarmMessage } from '../../support/cloudwatch-alarm-message.js';
import { aWorld } from '../app/support/worlds.js';
import { stubHandlerEnv } from './support/handler-env.js';

type Consumer = typeof import('../../../functions/topic/reputation-alarm.js')['reputationAlarmConsumer'];
let reputationAlarmConsumer: Consumer;

beforeAll(async () => {
  // The module builds its own DynamoDB dependencies at load (nothing is reached); the tests give it a world's.
  stubHandlerEnv();
  ({ reputationAlarmConsumer } = await import('../../../functions/topic/reputation-alarm.js'));
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const context = lambdaContext(
  { functionName: 'reputation-alarm', memoryMb: 256, timeoutSeconds: 10 },
  'us-east-1',
);

const snsEvent = (message: string): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:Rapport-ReputationTopic:sub-1',
      Sns: {
        Type: 'Notification',
        MessageId: 'msg-1',
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:Rapport-ReputationTopic',
        Subject: 'ALARM: "Rapport-ses-complaint-rate-critical" in EU (Ireland)',
        Message: message,
        Timestamp: '2026-11-23T12:05:31.300Z',
        SignatureVersion: '1',
        Signature: 'signature',
        SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/cert.pem',
        UnsubscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    },
  ],
});

const depsOf = (world: MemoryWorld): ReputationAlarmDeps => ({
  pause: { sending: world.sendingState, ids: world.ids },
  clock: world.clock,
});

const deliver = async (world: MemoryWorld, message: string): Promise<void> => {
  await reputationAlarmConsumer(() => depsOf(world))(snsEvent(message), context);
};

describe('when a critical reputation alarm goes into ALARM', () => {
  it('pauses marketing email with the alarm as its source and its name and reason as the cause', async () => {
    const world = aWorld();

    await deliver(world, JSON.stringify(cloudWatchAlarmMessage()));

    expect(await world.sendingState.get()).toMatchObject({
      status: 'paused',
      pause: {
        at: world.clock.now().toISOString(),
        source: 'alarm',
        cause: expect.stringMatching(/^Rapport-ses-complaint-rate-critical: Threshold Crossed/),
      },
    });
  });

  it('writes the pause and its cause to the audit log', async () => {
    const world = aWorld();

    await deliver(world, JSON.stringify(cloudWatchAlarmMessage()));

    const { entries } = await world.audit.list(10);
    expect(entries).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: 'rapport:alarm' }),
        cause: expect.stringContaining('Rapport-ses-complaint-rate-critical'),
      }),
    ]);
  });

  it('keeps the first pause and its cause when sending is already paused', async () => {
    const world = aWorld();
    await world.sendingState.pause({
      at: world.clock.now().toISOString(),
      source: 'complaint-rate',
      cause: 'complaint rate 0.15 % over 2000 sends',
    });

    await deliver(world, JSON.stringify(cloudWatchAlarmMessage()));

    expect(await world.sendingState.get()).toMatchObject({
      status: 'paused',
      pause: { source: 'complaint-rate', cause: 'complaint rate 0.15 % over 2000 sends' },
    });
    expect((await world.audit.list(10)).entries).toEqual([]);
  });
});

describe('when the alarm leaves ALARM', () => {
  it('leaves sending as it is: only a person resumes', async () => {
    const world = aWorld();
    await deliver(world, JSON.stringify(cloudWatchAlarmMessage()));

    await deliver(
      world,
      JSON.stringify(cloudWatchAlarmMessage({ NewStateValue: 'OK', OldStateValue: 'ALARM' })),
    );

    expect(await world.sendingState.get()).toMatchObject({ status: 'paused' });
  });

  it('does not pause an active account', async () => {
    const world = aWorld();

    await deliver(
      world,
      JSON.stringify(cloudWatchAlarmMessage({ NewStateValue: 'OK', OldStateValue: 'ALARM' })),
    );

    expect(await world.sendingState.get()).toMatchObject({ status: 'active' });
  });
});

describe('when the topic delivers something that is not an alarm', () => {
  it('ignores it without failing, so SNS does not retry what can never succeed', async () => {
    const world = aWorld();

    await expect(deliver(world, 'Test message from the SNS console')).resolves.toBeUndefined();

    expect(await world.sendingState.get()).toMatchObject({ status: 'active' });
  });
});
