/** Transactional SMS are routed for reliability, promotional ones for cost; carriers treat them differently. */
export type SmsType = 'Transactional' | 'Promotional';

export interface OutgoingSms {
  /** E.164, e.g. +14255550182. */
  to: string;
  body: string;
  /** Alphanumeric sender shown where the destination country allows it. */
  senderId?: string;
  /** A number the account owns (E.164); required where sender IDs are not allowed, such as the US. */
  originationNumber?: string;
  smsType: SmsType;
  /** For the caller's logs only: SNS has no per-message tags for SMS, so they are not sent. */
  tags?: Record<string, string>;
}

/**
 * Throws TexterThrottledError when the provider asks to slow down (retryable),
 * TexterOptedOutError when the number is on its opt-out list, and
 * TexterRejectedError when it refuses the message for good.
 */
export interface Texter {
  send(sms: OutgoingSms): Promise<{ providerMessageId: string }>;
  /** The provider's own opt-out list (a carrier-level STOP), which outranks any consent we hold. */
  isOptedOut(phoneNumber: string): Promise<boolean>;
  /**
   * Whether the account's monthly SMS spend limit is reached (or about to be). SNS
   * accepts a publish past it and then drops the text, so this is asked before sending.
   */
  spendLimitReached(): Promise<boolean>;
}
