import { z } from 'zod';
import { seededRandom } from '../demo/seeded-random.js';
import { type ChaosClient, getJson } from './chaos-client.js';

/**
 * The people of a chaos run, each living a short customer life through the public
 * API while the runtime is killed under them: sign up, read the confirmation,
 * identify from the shop, maybe confirm, order, get refunded, and, among those
 * who confirmed, leave with one click during the follow-up journey's wait.
 */

export interface PlannedOrder {
  orderId: string;
  /** In major units, two decimals. */
  total: number;
  /** Refunded later in the run, in major units. */
  refund?: number;
}

export interface PlannedPerson {
  index: number;
  email: string;
  userId: string;
  confirms: boolean;
  /** One-click unsubscribe from the welcome email, before the follow-up is due. */
  unsubscribes: boolean;
  orders: PlannedOrder[];
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** People until the planned calls reach `calls`; each person's calls are counted as they will be made. */
export const planPeople = (options: { calls: number; seed: number; runId: string }): PlannedPerson[] => {
  const random = seededRandom(options.seed);
  const people: PlannedPerson[] = [];
  let planned = 0;
  while (planned < options.calls) {
    const index = people.length;
    const confirms = random.chance(0.85);
    const orders = Array.from(
      {
        length: random.weighted([
          [0, 3],
          [1, 4],
          [2, 2],
          [3, 1],
        ] as const),
      },
      (_, n) => {
        const total = round2(random.between(5, 400));
        return {
          orderId: `${options.runId}-O${index}-${n}`,
          total,
          ...(random.chance(0.2) ? { refund: random.chance(0.5) ? total : round2(total / 2) } : {}),
        };
      },
    );
    const person: PlannedPerson = {
      index,
      email: `chaos-${options.runId}-${index}@example.com`,
      userId: `${options.runId}-u${index}`,
      confirms,
      unsubscribes: confirms && random.chance(0.25),
      orders,
    };
    people.push(person);
    planned += callsOf(person);
  }
  return people;
};

export const callsOf = (person: PlannedPerson): number =>
  2 +
  (person.confirms ? 1 : 0) +
  (person.unsubscribes ? 1 : 0) +
  person.orders.length +
  person.orders.filter((order) => order.refund !== undefined).length;

const StoredEmail = z.object({
  messageId: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ text: z.string().optional() }),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  /** Epoch seconds, when the emulator accepted it. */
  at: z.number(),
});
export type StoredEmail = z.infer<typeof StoredEmail>;

const BatchAnswer = z.object({
  results: z.array(
    z.object({
      status: z.enum(['accepted', 'duplicate', 'rejected']),
      errors: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

export const subjects = {
  confirmation: 'Please confirm',
  welcome: 'Welcome to',
  followUp: 'A follow-up from',
} as const;

/**
 * The SES emulator's store, read at most once a second however many people wait
 * on it, and only what is new: a soak's tens of thousands of emails are not
 * fetched again on every read. The store appends in time order and `since`
 * (epoch seconds) is inclusive, so a read from the newest second known skips the
 * emails of that second already seen, by position: the emulator's message ids
 * are random 9-digit numbers and may repeat.
 */
export const mailWatcher = (sesUrl: string) => {
  const known: StoredEmail[] = [];
  const byAddress = new Map<string, StoredEmail[]>();
  let newestSecond = 0;
  let seenInNewestSecond = 0;
  let readAt = 0;
  let reading: Promise<StoredEmail[]> | undefined;
  let previous: Promise<unknown> = Promise.resolve();
  const readNew = async (): Promise<StoredEmail[]> => {
    const emails = z
      .object({ emails: z.array(StoredEmail) })
      .parse(await getJson(`${sesUrl}/store?since=${newestSecond}`)).emails;
    for (const email of emails.slice(seenInNewestSecond)) {
      known.push(email);
      for (const to of email.destination.to) byAddress.set(to, [...(byAddress.get(to) ?? []), email]);
      if (email.at > newestSecond) {
        newestSecond = email.at;
        seenInNewestSecond = 0;
      }
      seenInNewestSecond += 1;
    }
    readAt = Date.now();
    return known;
  };
  // One read at a time: two at once would both take the same new emails.
  const read = (): Promise<StoredEmail[]> => {
    const next = previous.then(readNew);
    previous = next.catch(() => undefined);
    return next;
  };
  const all = async (): Promise<StoredEmail[]> => {
    if (Date.now() - readAt < 1_000) return known;
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
  return {
    all,
    fresh: read,
    /** The first email to the address whose subject starts so, waiting up to `timeoutMs`. */
    waitFor: async (
      address: string,
      subjectStart: string,
      timeoutMs: number,
    ): Promise<StoredEmail | undefined> => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        await all();
        const found = byAddress.get(address)?.find((email) => email.subject.startsWith(subjectStart));
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return undefined;
    },
  };
};
export type MailWatcher = ReturnType<typeof mailWatcher>;

export const linkIn = (email: StoredEmail, path: string): string | undefined =>
  new RegExp(`https?://[^\\s"'<>]+${path.replace('/', '\\/')}\\?token=[A-Za-z0-9._%-]+`).exec(
    email.body.text ?? '',
  )?.[0];

const oneClickUrl = (email: StoredEmail): string | undefined => {
  const header = email.headers?.find((h) => h.name.toLowerCase() === 'list-unsubscribe')?.value;
  return header === undefined ? undefined : /<(https?:[^>]+)>/.exec(header)?.[1];
};

export interface LivedPerson {
  person: PlannedPerson;
  /** What went wrong for this person's calls or mail, if anything; the run reports it. */
  problems: string[];
}

/** One person's life through the API, in order; each call is retried by the client until answered. */
export const livePerson = async (
  person: PlannedPerson,
  context: { apiUrl: string; apiKey: string; client: ChaosClient; mail: MailWatcher; mailTimeoutMs: number },
): Promise<LivedPerson> => {
  const { apiUrl, apiKey, client, mail } = context;
  const problems: string[] = [];
  const json = (body: unknown, auth?: string): RequestInit => ({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(auth === undefined ? {} : { authorization: `Bearer ${auth}` }),
    },
    body: JSON.stringify(body),
  });
  const ingest = async (
    kind: 'identify' | 'order' | 'refund',
    subject: string | undefined,
    call: unknown,
  ) => {
    await client.call(
      { kind, contact: person.index, ...(subject === undefined ? {} : { subject }) },
      `${apiUrl}/v1/batch`,
      json({ batch: [call] }, apiKey),
      // The batch is answered 200 whatever became of its calls; each call has its own verdict.
      (outcome) => {
        const verdict = BatchAnswer.parse(JSON.parse(outcome.text)).results[0];
        return verdict?.status === 'rejected' ? JSON.stringify(verdict.errors ?? {}) : undefined;
      },
    );
  };

  await client.call(
    { kind: 'signup', contact: person.index },
    `${apiUrl}/v1/signup`,
    json({ email: person.email, name: `Chaos ${person.index}`, consent: true, form: 'chaos' }),
  );
  await ingest('identify', undefined, {
    type: 'identify',
    userId: person.userId,
    messageId: `identify-${person.userId}`,
    traits: { email: person.email },
  });
  const confirmation = await mail.waitFor(person.email, subjects.confirmation, context.mailTimeoutMs);
  if (confirmation === undefined) problems.push('no confirmation email arrived');
  const confirmLink = confirmation === undefined ? undefined : linkIn(confirmation, '/v1/confirm');
  if (person.confirms && confirmLink !== undefined) {
    const token = new URL(confirmLink).searchParams.get('token') ?? '';
    await client.call({ kind: 'confirm', contact: person.index }, `${apiUrl}/v1/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
  }
  for (const order of person.orders) {
    await ingest('order', order.orderId, {
      type: 'track',
      event: 'Order Completed',
      userId: person.userId,
      messageId: `order-${order.orderId}`,
      properties: {
        order_id: order.orderId,
        total: order.total,
        currency: 'EUR',
        products: [{ sku: 'CHAOS-1', name: 'Chaos mug', price: order.total, quantity: 1 }],
      },
    });
  }
  if (person.unsubscribes) {
    const welcome = await mail.waitFor(person.email, subjects.welcome, context.mailTimeoutMs);
    const url = welcome === undefined ? undefined : oneClickUrl(welcome);
    if (url === undefined) problems.push('no welcome email with a one-click unsubscribe link arrived');
    else
      await client.call({ kind: 'unsubscribe', contact: person.index }, url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
  }
  for (const order of person.orders) {
    if (order.refund === undefined) continue;
    await ingest('refund', order.orderId, {
      type: 'track',
      event: 'Order Refunded',
      userId: person.userId,
      messageId: `refund-${order.orderId}`,
      properties: { order_id: order.orderId, total: order.refund },
    });
  }
  return { person, problems };
};
