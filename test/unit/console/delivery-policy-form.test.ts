import { describe, expect, it } from 'vitest';
import { policyForm, policyOfForm } from '../../../console/src/delivery-policy-form.js';
import { channelPolicyInWords, durationInWords } from '../../../console/src/delivery-policy-words.js';
import { loadDeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import { DeliveryPolicyRequest } from '../../../lib/domain/delivery-policy-answers.js';

const shipped = loadDeliveryPolicy(`
email:
  caps: [{ max: 3, per: P7D }, { max: 1, per: P1D }]
  quiet_hours: { start: "21:00", end: "08:00" }
  when_capped: defer
sms:
  caps: [{ max: 1, per: PT36H }]
  when_capped: skip
`);

describe('the delivery policy in words', () => {
  it('says each cap, the quiet hours and what a capped message does', () => {
    expect(channelPolicyInWords('email', shipped.email)).toEqual([
      'At most 3 emails per 7 days.',
      'At most 1 email per day.',
      'Quiet hours 21:00–08:00 in the contact’s time zone: a message due then waits until 08:00.',
      'A message over a cap waits until the cap allows it and the quiet hours are over, then goes out.',
    ]);
    expect(channelPolicyInWords('sms', shipped.sms)).toEqual([
      'At most 1 text message per 36 hours.',
      'A message over a cap is dropped.',
    ]);
  });

  it('says a channel without rules sends as soon as its messages are due', () => {
    expect(channelPolicyInWords('sms', undefined)).toEqual([
      'No caps and no quiet hours: marketing text messages go out as soon as they are due.',
    ]);
  });

  it('reads durations as people say them', () => {
    expect(durationInWords('P1D')).toBe('day');
    expect(durationInWords('P2W')).toBe('2 weeks');
    expect(durationInWords('P1DT12H')).toBe('1 day and 12 hours');
    expect(durationInWords('P1Y2M3D')).toBe('1 year, 2 months and 3 days');
  });
});

describe('the delivery policy form', () => {
  it('sends a policy back unchanged as the request it was read from', () => {
    const body = { policy: policyOfForm(policyForm(shipped)), version: 4 };

    expect(DeliveryPolicyRequest.parse(body)).toEqual({ policy: shipped, version: 4 });
  });

  it('leaves out a channel with no caps and no quiet hours', () => {
    const form = policyForm(shipped);
    form.sms = { caps: [], quietStart: '', quietEnd: '', whenCapped: 'skip' };

    expect(Object.keys(policyOfForm(form))).toEqual(['email']);
  });

  it('sends what is typed wrong as it is, for the API to name', () => {
    const form = policyForm({});
    form.email = {
      caps: [{ max: 'three', per: ' p7d ' }],
      quietStart: '22:00',
      quietEnd: '',
      whenCapped: 'defer',
    };

    expect(policyOfForm(form)).toEqual({
      email: {
        caps: [{ max: 'three', per: 'P7D' }],
        quiet_hours: { start: '22:00', end: '' },
        when_capped: 'defer',
      },
    });
    const problems = DeliveryPolicyRequest.safeParse({
      policy: policyOfForm(form),
      version: 1,
    }).error?.issues.map((issue) => issue.path.join('.'));
    expect(problems).toEqual(['policy.email.caps.0.max', 'policy.email.quiet_hours.end']);
  });
});
