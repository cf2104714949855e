import { describe, expect, it } from 'vitest';
import {
  defaultReputationThresholds,
  emailRates,
  judgeReputation,
  percentText,
  ReputationThresholds,
  sumCounters,
} from '../../../lib/domain/reputation.js';

const judge = (counters: Record<string, number>) =>
  judgeReputation(emailRates(counters), defaultReputationThresholds);

describe('email rates', () => {
  it('takes bounces and complaints over the mail sent', () => {
    expect(emailRates({ send: 2000, delivery: 1900, bounce: 100, complaint: 3, open: 700 })).toEqual({
      sent: 2000,
      delivered: 1900,
      bounced: 100,
      complained: 3,
      bounceRate: 0.05,
      complaintRate: 0.0015,
    });
  });

  it('has no rate before anything was sent', () => {
    expect(emailRates({ bounce: 1 })).toMatchObject({ sent: 0, bounceRate: null, complaintRate: null });
  });

  it('adds several days up before taking the rate', () => {
    expect(sumCounters([{ send: 10, bounce: 1 }, { send: 30 }, {}])).toEqual({ send: 40, bounce: 1 });
  });
});

describe('when the rates are judged against the thresholds', () => {
  it('is healthy below both warnings', () => {
    expect(judge({ send: 10_000, bounce: 100, complaint: 5 })).toMatchObject({
      level: 'healthy',
      breaches: [],
    });
  });

  it('warns at 2 % bounces and at 0.08 % complaints', () => {
    expect(judge({ send: 10_000, bounce: 200 })).toMatchObject({
      level: 'warning',
      breaches: [{ rate: 'bounce-rate', level: 'warning', threshold: 0.02 }],
    });
    expect(judge({ send: 10_000, complaint: 8 })).toMatchObject({
      level: 'warning',
      breaches: [{ rate: 'complaint-rate', level: 'warning', threshold: 0.0008 }],
    });
  });

  it('is critical at 5 % bounces or 0.1 % complaints, the worst breach first, and says so in a line', () => {
    const verdict = judge({ send: 10_000, bounce: 250, complaint: 10 });

    expect(verdict.level).toBe('critical');
    expect(verdict.breaches.map((breach) => [breach.rate, breach.level])).toEqual([
      ['complaint-rate', 'critical'],
      ['bounce-rate', 'warning'],
    ]);
    expect(verdict.cause).toBe(
      'complaint rate 0.10 % (10 of 10000 sent) at or above the critical threshold 0.10 %; bounce rate 2.5 % (250 of 10000 sent) at or above the warning threshold 2.0 %',
    );
  });

  it('judges nothing over fewer sends than the minimum, however high the rate', () => {
    expect(judge({ send: 999, complaint: 50 })).toMatchObject({ level: 'healthy', tooFewSends: true });
  });
});

describe('the thresholds', () => {
  it('refuse a warning above its critical rate, naming the field', () => {
    const parsed = ReputationThresholds.safeParse({
      ...defaultReputationThresholds,
      bounceRate: { warning: 0.06, critical: 0.05 },
    });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['bounceRate', 'warning']);
  });
});

describe('a rate as people read it', () => {
  it('shows two decimals under 1 % and one above', () => {
    expect([percentText(0.0008), percentText(0.05), percentText(0)]).toEqual(['0.08 %', '5.0 %', '0 %']);
  });
});
