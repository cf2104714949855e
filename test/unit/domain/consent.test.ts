import { describe, expect, it } from 'vitest';
import { applyConsentCommand, mayReceiveMarketing } from '../../../lib/domain/consent.js';

describe('the consent state machine', () => {
  it.each([
    ['none', 'request', 'changed', 'pending'],
    ['pending', 'request', 'unchanged', 'pending'],
    ['subscribed', 'request', 'unchanged', 'subscribed'],
    ['unsubscribed', 'request', 'changed', 'pending'],
    ['pending', 'confirm', 'changed', 'subscribed'],
    ['subscribed', 'confirm', 'unchanged', 'subscribed'],
    ['unsubscribed', 'confirm', 'refused', 'unsubscribed'],
    ['none', 'confirm', 'refused', 'none'],
    ['subscribed', 'unsubscribe', 'changed', 'unsubscribed'],
    ['pending', 'unsubscribe', 'changed', 'unsubscribed'],
    ['unsubscribed', 'unsubscribe', 'unchanged', 'unsubscribed'],
    ['none', 'unsubscribe', 'unchanged', 'none'],
  ] as const)('from %s, %s is %s and leaves %s', (status, command, outcome, next) => {
    expect(applyConsentCommand(status, command)).toEqual({ outcome, status: next });
  });

  it('never subscribes a new signup without a confirmation', () => {
    for (const status of ['none', 'pending', 'unsubscribed'] as const) {
      expect(applyConsentCommand(status, 'request').status).not.toBe('subscribed');
    }
  });
});

describe('whether marketing email may go out', () => {
  it('allows a subscribed contact', () => {
    expect(mayReceiveMarketing('subscribed', [], undefined)).toBe('allowed');
  });

  it.each(['none', 'pending', 'unsubscribed'] as const)('refuses a contact who is %s', (status) => {
    expect(mayReceiveMarketing(status, ['newsletter'], 'newsletter')).toBe('not-subscribed');
  });

  it('refuses a topic the contact does not hold', () => {
    expect(mayReceiveMarketing('subscribed', ['newsletter'], 'recommendations')).toBe('topic-not-subscribed');
  });
});
