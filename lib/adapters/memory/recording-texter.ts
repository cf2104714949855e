import type { Clock } from '../../ports/clock.js';
import type { OutgoingSms, Texter } from '../../ports/texter.js';

export interface SentSms {
  sms: OutgoingSms;
  providerMessageId: string;
  at: string;
}

/**
 * A texter that sends nothing and keeps every text, with a carrier opt-out list
 * of its own (`optOut`), as SNS keeps one, and a spend limit that can be reached
 * (`reachSpendLimit`). `failNext` makes the next sends throw.
 */
export class RecordingTexter implements Texter {
  private readonly sentTexts: SentSms[] = [];
  private readonly optedOut = new Set<string>();
  private readonly failures: Error[] = [];
  private spendLimit = false;

  constructor(private readonly clock: Clock) {}

  async send(sms: OutgoingSms): Promise<{ providerMessageId: string }> {
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    const providerMessageId = `sms-${String(this.sentTexts.length + 1).padStart(6, '0')}`;
    this.sentTexts.push({ sms: structuredClone(sms), providerMessageId, at: this.clock.now().toISOString() });
    return { providerMessageId };
  }

  async isOptedOut(phoneNumber: string): Promise<boolean> {
    return this.optedOut.has(phoneNumber);
  }

  async spendLimitReached(): Promise<boolean> {
    return this.spendLimit;
  }

  /** The account's monthly SMS spend is at its limit (true) or has room again (false: a new month, a raised limit). */
  reachSpendLimit(reached = true): void {
    this.spendLimit = reached;
  }

  /** The carrier's STOP: the number is on the provider's opt-out list from now on. */
  optOut(phoneNumber: string): void {
    this.optedOut.add(phoneNumber);
  }

  sent(): SentSms[] {
    return structuredClone(this.sentTexts);
  }

  sentTo(phoneNumber: string): SentSms[] {
    return this.sent().filter((sent) => sent.sms.to === phoneNumber);
  }

  failNext(error: Error, times = 1): void {
    for (let time = 0; time < times; time += 1) this.failures.push(error);
  }
}
