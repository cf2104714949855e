import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  InboundSmsFormatError,
  isStartRequest,
  isStopRequest,
  parseInboundSms,
} from '../../../lib/domain/inbound-sms.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/sms/${name}`, import.meta.url), 'utf8');

describe('parsing a two-way SMS notification', () => {
  it('reads a reply with the number to act on and the message it answers', () => {
    const inbound = parseInboundSms(fixture('inbound-stop-reply.json'));

    expect(inbound).toEqual({
      originationNumber: '+14255550182',
      destinationNumber: '+12125550101',
      messageKeyword: 'KEYWORD_123456789012',
      messageBody: 'Stop',
      inboundMessageId: '3f2a9c1e-8b7d-5e4f-a6c3-2d1b0e9f8a7c',
      previousPublishedMessageId: 'b1f4e7a2-5c3d-4e6f-9a8b-7c6d5e4f3a2b',
    });
  });

  it('reads a message the customer wrote first, with no keyword and nothing it replies to', () => {
    const inbound = parseInboundSms(fixture('inbound-first-contact.json'));

    expect(inbound.originationNumber).toBe('+447700900123');
    expect(inbound.previousPublishedMessageId).toBeUndefined();
    expect(inbound.messageKeyword).toBeUndefined();
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseInboundSms('STOP')).toThrow(InboundSmsFormatError);
  });

  it('names the field that is wrong', () => {
    const raw = { ...JSON.parse(fixture('inbound-stop-reply.json')), originationNumber: '4255550182' };

    expect(() => parseInboundSms(JSON.stringify(raw))).toThrow(/originationNumber: must be an E\.164/);
  });

  it('refuses a notification without a body', () => {
    const { messageBody: _dropped, ...raw } = JSON.parse(fixture('inbound-stop-reply.json'));

    expect(() => parseInboundSms(JSON.stringify(raw))).toThrow(/messageBody/);
  });
});

describe('recognising an opt-out', () => {
  it.each(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT-OUT', 'ARRET'])(
    'takes %s as a request to stop',
    (keyword) => {
      expect(isStopRequest(keyword)).toBe(true);
    },
  );

  it.each(['stop', '  Stop \n', 'Stop.', 'STOP!', 'Arrêt', 'stop texting me', 'STOP ALL'])(
    'reads %j the way carriers do: any case, trimmed, punctuation and accents ignored, first word',
    (body) => {
      expect(isStopRequest(body)).toBe(true);
    },
  );

  it.each(['', 'Thanks!', 'please stop', 'Stopping by tomorrow', 'START', 'Unstoppable'])(
    'does not take %j for an opt-out',
    (body) => {
      expect(isStopRequest(body)).toBe(false);
    },
  );
});

describe('recognising an opt-in', () => {
  it.each(['START', 'unstop', ' Start. '])('takes %j as a request to resume', (body) => {
    expect(isStartRequest(body)).toBe(true);
  });

  it.each(['YES', 'start sending me spam? no', 'STOP', '', 'Started'])(
    'does not take %j as a request to resume',
    (body) => {
      expect(isStartRequest(body)).toBe(false);
    },
  );
});
