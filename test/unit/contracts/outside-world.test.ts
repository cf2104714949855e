import { RecordingEventPublisher } from '../../../lib/adapters/memory/recording-event-publisher.js';
import { RecordingMailer } from '../../../lib/adapters/memory/recording-mailer.js';
import { RecordingTexter } from '../../../lib/adapters/memory/recording-texter.js';
import { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { eventPublisherContract } from '../../contracts/event-publisher.contract.js';
import { mailerContract } from '../../contracts/mailer.contract.js';
import { texterContract } from '../../contracts/texter.contract.js';

const clock = new VirtualClock('2026-11-23T12:00:00.000Z');

mailerContract('the recording mailer', async () => new RecordingMailer(clock));

texterContract('the recording texter', async () => {
  const texter = new RecordingTexter(clock);
  return { texter, optOut: (number) => texter.optOut(number) };
});

eventPublisherContract('the recording event bus', async () => {
  const publisher = new RecordingEventPublisher();
  return { publisher, published: () => publisher.events().map(({ event }) => event.detail) };
});
