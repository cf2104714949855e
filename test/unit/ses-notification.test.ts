import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  InvalidSesNotificationError,
  parseSesNotification,
  SesTag,
  sesTagValue,
} from '../../lib/domain/ses-notification.js';

const fixtureDir = new URL('../fixtures/ses/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtureDir), 'utf8');
const fixtureNames = readdirSync(fixtureDir).filter((name) => name.endsWith('.json'));

describe('parseSesNotification', () => {
  it('has a fixture for every event type SES publishes that we handle', () => {
    const types = new Set(fixtureNames.map((name) => parseSesNotification(fixture(name)).eventType));
    expect([...types].sort()).toEqual(
      [
        'Bounce',
        'Click',
        'Complaint',
        'Delivery',
        'DeliveryDelay',
        'Open',
        'Reject',
        'RenderingFailure',
        'Send',
      ].sort(),
    );
  });

  describe.each(fixtureNames)('the %s fixture', (name) => {
    it('parses and keeps the message id and destination', () => {
      const raw: unknown = JSON.parse(fixture(name));
      const notification = parseSesNotification(fixture(name));
      expect(notification.mail.messageId).toMatch(/-000000$/);
      expect(notification.mail.destination.length).toBeGreaterThan(0);
      expect(raw).toHaveProperty('mail.messageId', notification.mail.messageId);
    });
  });

  describe('a permanent bounce', () => {
    const notification = parseSesNotification(fixture('bounce-permanent.json'));

    it('exposes the bounce type, sub-type and bounced recipients', () => {
      if (notification.eventType !== 'Bounce')
        throw new Error(`expected a bounce, got ${notification.eventType}`);
      expect(notification.bounce).toEqual({
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          { emailAddress: 'Bounce@Example.com', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
        ],
      });
    });

    it('reads our tags and leaves out the fields it does not use', () => {
      expect(sesTagValue(notification.mail, SesTag.contact)).toBe('01JD3Q8Y6M4T2N7K5P9R0S1V2W');
      expect(sesTagValue(notification.mail, SesTag.journey)).toBeUndefined();
      expect(notification.mail).not.toHaveProperty('commonHeaders');
      expect(notification.mail).not.toHaveProperty('headers');
      expect(notification).not.toHaveProperty('bounce.feedbackId');
    });
  });

  it('exposes the complained recipients and feedback type of a complaint', () => {
    const notification = parseSesNotification(fixture('complaint.json'));
    if (notification.eventType !== 'Complaint')
      throw new Error(`expected a complaint, got ${notification.eventType}`);
    expect(notification.complaint).toEqual({
      complainedRecipients: [{ emailAddress: 'complaint@example.com' }],
      complaintFeedbackType: 'abuse',
    });
    expect(sesTagValue(notification.mail, SesTag.journey)).toBe('replacement-cycle');
  });

  it('names the rendering failure without the space SES puts in it', () => {
    expect(parseSesNotification(fixture('rendering-failure.json')).eventType).toBe('RenderingFailure');
  });

  describe('in the identity notification form', () => {
    const notification = parseSesNotification(fixture('identity-bounce.json'));

    it('turns notificationType into eventType', () => {
      expect(notification.eventType).toBe('Bounce');
      expect(notification).not.toHaveProperty('notificationType');
    });

    it('keeps the bounce and goes without tags', () => {
      if (notification.eventType !== 'Bounce')
        throw new Error(`expected a bounce, got ${notification.eventType}`);
      expect(notification.bounce.bounceType).toBe('Permanent');
      expect(notification.bounce.bouncedRecipients.map((r) => r.emailAddress)).toEqual([
        'old-address@example.com',
      ]);
      expect(notification.mail.tags).toBeUndefined();
    });
  });

  describe('rejects what is not an SES notification', () => {
    const bounce = fixture('bounce-permanent.json');
    const mailOnly = fixture('delivery.json').replace(/"eventType": "Delivery",/, '');

    it.each([
      ['text that is not JSON', 'not json {'],
      ['an empty body', ''],
      ['a JSON array', '[]'],
      ['a JSON string', '"Bounce"'],
      ['an object without an event type', mailOnly],
      ['an unknown event type', bounce.replace('"eventType": "Bounce"', '"eventType": "Unsubscribe"')],
      ['an SNS envelope instead of its message', JSON.stringify({ Type: 'Notification', Message: '{}' })],
      ['a bounce without its bounce object', bounce.replace('"bounce": {', '"ignored": {')],
      ['a bounce with an unknown bounce type', bounce.replace('"Permanent"', '"Soft"')],
      ['a bounce without recipients addresses', bounce.replace('"emailAddress": "Bounce@Example.com",', '')],
      ['an event without its mail object', JSON.stringify({ eventType: 'Delivery' })],
    ])('throws InvalidSesNotificationError for %s', (_, text) => {
      expect(() => parseSesNotification(text)).toThrow(InvalidSesNotificationError);
    });
  });
});
