/**
 * The numbers that only work together: claim leases and waits, batch sizes, time
 * budgets, retry delays, cache ages, and the timeouts and schedules they must fit
 * in. The topology, the handlers and the use cases' settings read them from here,
 * and test/unit/config/timing.test.ts checks the inequalities between them, so a
 * change to one that breaks another fails a test instead of a delivery.
 */

const second = 1_000;
const minute = 60 * second;

/** What every table-stream mapping shares: how often a failing record is retried, and for how long. */
export const streamRetries = {
  retryAttempts: 3,
  maxRecordAgeSeconds: 3_600,
} as const;

export const timing = {
  deliver: {
    /**
     * A claim on a message (`queued → sending`): longer than one send can take, the
     * provider SDK's own retries included, so a live delivery's claim is never taken over.
     */
    claimLeaseMs: 40 * second,
    /**
     * How long one message may wait within an invocation for a free second of the account's
     * send rate and for the provider to stop throttling, before its record is retried: well
     * inside the lease, which must also hold the provider call itself.
     */
    sendWaitMs: 25 * second,
    /**
     * How long a redelivered record waits for an abandoned claim (left by an invocation
     * that timed out) to lapse before taking it over. At least the lease, so such a
     * claim always lapses within the wait and the retry sends instead of failing again.
     */
    maxClaimWaitMs: 45 * second,
    batchSize: 10,
    /**
     * The worst batch: one abandoned claim waited out (one at most: records run one at
     * a time, so a dead invocation leaves one message in `sending`), then every message
     * of the batch taking its whole lease, and a few seconds for the writes around them.
     * A batch that cannot finish is retried whole and spends the mapping's retries.
     */
    timeoutSeconds: 450,
  },
  journeys: {
    /**
     * Each journey's conditions get conditionBudgetMs (lib/domain/conditions.ts) per
     * record, so one pathological journey cannot alone time out a batch.
     */
    batchSize: 25,
    /**
     * Contacts whose records a batch handles at once (one contact's still in stream
     * order): every contact of a full batch, and no more requests in flight than one
     * function's DynamoDB client keeps sockets for.
     */
    contactsAtOnce: 25,
    timeoutSeconds: 30,
  },
  publishEvents: {
    /** One PutEvents call per record, with the SDK's retries, and two small writes. */
    batchSize: 10,
    timeoutSeconds: 30,
  },
  tick: {
    everyMinutes: 1,
    localEverySeconds: 2,
    /** Ends before the next run starts; the wheel is safe under overlap, but it would be wasted work. */
    timeoutSeconds: 60,
    /** Kept back from the timeout: the run stops reading new timers, so the page being fired and the cursor write finish. */
    reserveMs: 15 * second,
    /**
     * The cursor passes a minute only this long after it ended, so a timer filed late
     * for its minute (written after a slow step, by a clock a little behind) is still
     * found. Longer than any function that files timers can take between reading the
     * clock and writing the timer, with a minute to spare.
     */
    settleSeconds: 180,
  },
  journeyJobs: {
    /** Once a minute, because FANOUT_EVENTS_PER_MINUTE is a cap per run. */
    everyMinutes: 1,
    localEverySeconds: 2,
    /** A run stops itself before this (its reserve); the next resumes from the saved cursor. */
    timeoutSeconds: 120,
    /** Kept back from the timeout so the page in hand and its progress save finish. */
    reserveMs: 15 * second,
    /**
     * How long a run waits for a campaign's slots, a second at a time: ends
     * before the next run starts, so two runs never pace the same send, and
     * leaves the reserve inside the timeout.
     */
    paceWindowMs: 58 * second,
  },
  customerValue: {
    everyMinutes: 1_440,
    localEverySeconds: 300,
    /** Reads every contact once (keys from the index, items in batches of 100). */
    timeoutSeconds: 900,
    /**
     * Kept back from the timeout for what follows the reading: fitting the value models
     * (36 s for a million customers on one core, docs/benchmarks.md) and writing the
     * thresholds, the cycles and the rescoring job.
     */
    reserveMs: 120 * second,
  },
  liveSegments: {
    /** Daily: what a day changes without an event (relative dates, a bounce) is caught within a day. */
    everyMinutes: 1_440,
    localEverySeconds: 300,
    /** Only files the job; journey-jobs walks the contacts. */
    timeoutSeconds: 30,
  },
  ingestBus: {
    /**
     * The bus chain's pauses before the second and third tries of a fault
     * (functions/middleware/bus-chain.ts): Lambda does not retry bus-rule functions.
     */
    retryDelaysMs: [1 * second, 3 * second],
    /** One try: a few reads and one transaction, with the SDK's retries. */
    attemptAllowanceMs: 3 * second,
    timeoutSeconds: 15,
  },
  deadLetters: {
    /**
     * A redrive of every dead letter takes no further one after this (each is a
     * function's invocation), so the answer, with where to go on, comes inside the
     * admin function's timeout.
     */
    redriveBudgetMs: 20 * second,
    /** API Gateway waits 29 s at most. */
    adminTimeoutSeconds: 29,
    /**
     * The intake moves what reached the SQS dead-letter queues into the dead letters:
     * a failed stream batch must be read back while the stream holds it (24 hours).
     */
    intakeEveryMinutes: 5,
    /** Locally nothing reaches SQS (the runtime's sink writes the dead letters itself): a slow beat. */
    intakeLocalEverySeconds: 300,
    /** The intake takes no further message after this, so a run ends before its timeout. */
    intakeBudgetMs: 40 * second,
    intakeTimeoutSeconds: 60,
  },
  settings: {
    /**
     * How long a warm instance keeps the link-signing keys before reading the secret
     * again (a failed read is not kept): what makes a key rotation reach every instance.
     */
    tokenKeysMaxAgeMs: 5 * minute,
    /** The delivery policy seed-content publishes: a new one takes effect within this. */
    deliveryPolicyMaxAgeMs: 5 * minute,
    /** The RFM cuts, value model and learned cycles change once a day; ingestion reads them at most this often. */
    rfmThresholdsMaxAgeMs: 5 * minute,
    /**
     * The live segments every contact change is evaluated against: a segment
     * saved, changed or made live takes effect within this.
     */
    liveSegmentsMaxAgeMs: 1 * minute,
    /**
     * The campaigns, read on every contact change for whether any measures a
     * goal: a launched campaign's goals are measured within this.
     */
    campaignListMaxAgeMs: 1 * minute,
    /**
     * Between the steps of a key rotation (docs/operations.md): add the new key, then
     * this long later make it current. Every warm instance has re-read the keys by then.
     */
    keyRotationStepMs: 10 * minute,
  },
} as const;
