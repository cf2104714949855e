/**
 * Named errors. The HTTP edge (functions/http/error-responses.ts) maps each to a
 * status in one place; nothing else decides status codes.
 */

/** Input that breaks a rule; `fields` names each bad field and its problem. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly fields: Record<string, string>,
    message = 'the request has invalid fields',
  ) {
    super(message);
  }
}

/** No credentials, or ones that are unknown or revoked (an ingestion API key). */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

/** A request body over the documented limit (a batch over 500 calls or 500 KB). */
export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

/** A caller over a rate limit (signups from one address); it may try again after `retryAfterSeconds`. */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

export class ExpiredTokenError extends Error {
  override readonly name = 'ExpiredTokenError';
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/**
 * The request is well-formed but the resource's state forbids it: publishing with
 * no draft, resuming an archived journey, a save that raced another. HTTP 409.
 */
export class ConflictError extends Error {
  override readonly name: string = 'ConflictError';
}

/** Someone else wrote the item since it was read; the caller re-reads and retries. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
}

export class ContactExistsError extends Error {
  override readonly name = 'ContactExistsError';
}

/** The mail provider asked us to slow down; the message stays queued and is retried. */
export class MailerThrottledError extends Error {
  override readonly name = 'MailerThrottledError';
}

/**
 * The mail provider stopped the account's sending (SES `SendingPausedException`,
 * `AccountSuspendedException`): no message can go until it resumes, so they wait.
 */
export class MailerPausedError extends Error {
  override readonly name = 'MailerPausedError';
}

/** The mail provider refused this message for good (bad address, unverified sender). */
export class MailerRejectedError extends Error {
  override readonly name = 'MailerRejectedError';
}

/** Another delivery holds an unexpired claim on the message; retry after the lease. */
export class MessageInFlightError extends Error {
  override readonly name = 'MessageInFlightError';
}

/** A well-formed link whose action no longer applies, e.g. confirming after unsubscribing. */
export class LinkNoLongerValidError extends Error {
  override readonly name = 'LinkNoLongerValidError';
}

/** The SMS provider asked us to slow down; the message stays queued and is retried. */
export class TexterThrottledError extends Error {
  override readonly name = 'TexterThrottledError';
}

/** The SMS provider refused this message for good (invalid number, bad sender). */
export class TexterRejectedError extends Error {
  override readonly name = 'TexterRejectedError';
}

/** The SMS provider refused the number because it is on the account's opt-out list (a carrier STOP). */
export class TexterOptedOutError extends Error {
  override readonly name = 'TexterOptedOutError';
}

/**
 * The event is bigger than EventBridge takes (256 KB per entry). Sending it again
 * cannot help: its record fails until the mapping gives up and dead-letters it.
 */
export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError';
  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`the event is ${sizeBytes} bytes; EventBridge takes at most ${limitBytes} bytes per entry`);
  }
}

/**
 * EventBridge answered the call but refused the entry (a non-zero FailedEntryCount),
 * with its reason. `InternalFailure` and `ThrottlingException` pass on a retry; the
 * other codes (a missing bus, a malformed detail, a denied source) need a fix first.
 */
export class EventEntryFailedError extends Error {
  override readonly name = 'EventEntryFailedError';
  constructor(
    readonly errorCode: string,
    readonly errorMessage: string,
  ) {
    super(`EventBridge refused the event: ${errorCode}: ${errorMessage}`);
  }
}

/**
 * A call that came by the event bus failed validation. There is no caller to
 * answer, so the invocation fails with the problems in its message: after
 * Lambda's retries the event lands in the dead-letter queue with this reason.
 */
export class BusEventRejectedError extends Error {
  override readonly name = 'BusEventRejectedError';
  constructor(
    readonly detailType: string,
    readonly problems: Record<string, string>,
  ) {
    super(
      `the "${detailType}" event was not stored: ${Object.entries(problems)
        .map(([field, problem]) => `${field}: ${problem}`)
        .join('; ')}`,
    );
  }
}

/**
 * DynamoDB refused the item for what it holds (over 400 KB, nested deeper than
 * 32 levels, a number out of its range): sending it again cannot help.
 */
export class UnstorableItemError extends Error {
  override readonly name = 'UnstorableItemError';
}

/**
 * A record that fails the same way however often it is tried, until an operator
 * fixes its cause (publishes a template again, restores a journey version). The
 * stream chain writes it to the dead letters at once, with this as its reason,
 * instead of spending the mapping's retries and an hour of its shard on it.
 */
export class UnprocessableRecordError extends Error {
  override readonly name: string = 'UnprocessableRecordError';
}

/** A message names a template that has no published version (never published, or its items deleted). */
export class TemplateMissingError extends UnprocessableRecordError {
  override readonly name = 'TemplateMissingError';
}

/** An enrollment runs on a journey version the table does not hold. */
export class JourneyVersionMissingError extends UnprocessableRecordError {
  override readonly name = 'JourneyVersionMissingError';
}

/** A function handed a record or event again (a redrive) failed it; the message is the function's error. */
export class FunctionFailedError extends Error {
  override readonly name = 'FunctionFailedError';
}
