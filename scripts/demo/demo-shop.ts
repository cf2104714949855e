import { type SeededRandom, seededRandom } from './seeded-random.js';

/**
 * The made-up shop the demo feeds into Rapport: a catalog, the people, and a
 * year of Segment calls (identify, Order Completed, Order Refunded). Pure and
 * deterministic for a seed, a size and a moment, so runs are comparable; the
 * demo posts all of it through the public and admin APIs.
 */

const DAY_MS = 86_400_000;

export const genres = ['crime', 'fantasy', 'history', 'cooking'] as const;
export type Genre = (typeof genres)[number];

/** Category paths, department first: a book's genre is the level under `books`. */
export type DemoCategory = `books/${Genre}` | 'office/copiers' | 'office/filters' | 'office/paper';

export const bookCategory = (genre: Genre): DemoCategory => `books/${genre}`;

/** A product as the admin import takes it. */
export interface DemoProduct {
  sku: string;
  name: string;
  category: DemoCategory;
  price: number;
  replacementCycleDays?: number;
}

/** The genre of a book (the level of its category under `books`); undefined for anything else. */
export const genreOf = (product: DemoProduct): Genre | undefined =>
  genres.find((genre) => product.category === bookCategory(genre));

const books: Record<Genre, Array<[string, number]>> = {
  crime: [
    ['The Long Night', 14.5],
    ['A Quiet Street', 12.9],
    ['Harbour Lights', 16],
    ['The Ninth Witness', 18.5],
  ],
  fantasy: [
    ['The Glass Crown', 19.9],
    ['Ember and Ash', 15.5],
    ['The Salt Road', 17],
    ['A Map of Storms', 22],
  ],
  history: [
    ['Rivers of Empire', 28],
    ['The Printing Year', 24.5],
    ['Bridges of Rome', 21],
    ['The Silk Roads Revisited', 26],
  ],
  cooking: [
    ['Bread at Home', 23],
    ['One Pan Suppers', 18],
    ['The Spice Shelf', 21.5],
    ['Winter Soups', 16.5],
  ],
};

/** The book the demo launches once the history is in, in whichever genre sold most. */
export const newBookFor = (genre: Genre): DemoProduct => {
  const names: Record<Genre, string> = {
    crime: 'Murder at the Harbour',
    fantasy: 'The Last Lantern',
    history: 'The Long Winter of 1709',
    cooking: 'Sunday Roasts',
  };
  return {
    sku: `BOOK-${genre.toUpperCase()}-NEW`,
    name: names[genre],
    category: bookCategory(genre),
    price: 19.5,
  };
};

export const catalog: readonly DemoProduct[] = [
  ...genres.flatMap((genre) =>
    books[genre].map(
      ([name, price], index): DemoProduct => ({
        sku: `BOOK-${genre.toUpperCase()}-${index + 1}`,
        name,
        category: bookCategory(genre),
        price,
      }),
    ),
  ),
  {
    sku: 'COPIER-S200',
    name: 'Desktop copier S200',
    category: 'office/copiers',
    price: 890,
    replacementCycleDays: 1460,
  },
  {
    sku: 'COPIER-M450',
    name: 'Office copier M450',
    category: 'office/copiers',
    price: 1690,
    replacementCycleDays: 1460,
  },
  {
    sku: 'COPIER-L900',
    name: 'Workgroup copier L900',
    category: 'office/copiers',
    price: 2450,
    replacementCycleDays: 1460,
  },
  {
    sku: 'FILTER-OZONE',
    name: 'Ozone filter',
    category: 'office/filters',
    price: 39,
    replacementCycleDays: 180,
  },
  {
    sku: 'FILTER-DUST',
    name: 'Dust filter',
    category: 'office/filters',
    price: 24.5,
    replacementCycleDays: 180,
  },
  {
    sku: 'FILTER-TONER',
    name: 'Toner dust filter',
    category: 'office/filters',
    price: 29,
    replacementCycleDays: 180,
  },
  {
    sku: 'FILTER-AIR',
    name: 'Exhaust air filter',
    category: 'office/filters',
    price: 34,
    replacementCycleDays: 180,
  },
  { sku: 'PAPER-A4', name: 'A4 copy paper, 500 sheets', category: 'office/paper', price: 6.9 },
  { sku: 'PAPER-A4-BOX', name: 'A4 copy paper, box of 5 reams', category: 'office/paper', price: 31 },
  { sku: 'PAPER-A3', name: 'A3 copy paper, 500 sheets', category: 'office/paper', price: 12.5 },
  { sku: 'PAPER-RECYCLED', name: 'Recycled A4 paper, 500 sheets', category: 'office/paper', price: 7.4 },
  { sku: 'PAPER-PHOTO', name: 'Photo paper, 50 sheets', category: 'office/paper', price: 14 },
];

/** What the catalog import receives: launched long before the year of orders, so none of it counts as new. */
export const catalogImport = (now: Date): Array<Record<string, unknown>> =>
  catalog.map((product) => ({
    ...product,
    publishedAt: new Date(now.getTime() - 500 * DAY_MS).toISOString(),
    url: `https://shop.example.com/p/${product.sku.toLowerCase()}`,
  }));

export type Persona = 'business' | 'reader' | 'occasional';

export interface DemoPerson {
  index: number;
  name: string;
  email: string;
  userId: string;
  timeZone: string;
  persona: Persona;
  /** Signs up through /v1/signup; otherwise the shop's identify call is the only way in. */
  signsUp: boolean;
  /** Follows the link in the confirmation email. */
  confirms: boolean;
  topics: string[];
  /** The signup form's id; the welcome series is for the newsletter form. */
  form: string;
  buys: boolean;
}

export interface OrderLine {
  sku: string;
  name: string;
  price: number;
  quantity: number;
}

export interface PlannedCall {
  at: number;
  person: number;
  /** The Segment call as the shop's backend would post it. */
  call: Record<string, unknown>;
  /** For orders, the lines, so the demo can total what was accepted. */
  lines?: OrderLine[];
  /** The order's total, or the amount refunded. */
  amount?: number;
  kind: 'identify' | 'order' | 'refund';
}

export interface DemoShop {
  people: DemoPerson[];
  /** Every call, oldest first. */
  calls: PlannedCall[];
}

const firstNames =
  'Ada Ben Chloe David Elena Farid Greta Hugo Ines Jonas Kira Luca Maya Nils Olga Pablo Rosa Sami Tara Viktor'.split(
    ' ',
  );
const lastNames =
  'Adler Brandt Costa Dubois Eriksen Fischer Garcia Hansen Ito Jansen Kowalski Lind Moreau Novak Okafor Petrov Quinn Rossi Silva Tanaka'.split(
    ' ',
  );
/** Where the people live, and how many of every twelve live there. */
export const timeZones: ReadonlyArray<readonly [string, number]> = [
  ['Europe/Berlin', 4],
  ['Europe/London', 2],
  ['America/New_York', 2],
  ['America/Los_Angeles', 1],
  ['Asia/Tokyo', 1],
  ['Australia/Sydney', 1],
];

const round2 = (value: number): number => Math.round(value * 100) / 100;

const personOf = (random: SeededRandom, index: number): DemoPerson => {
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const persona = random.weighted<Persona>([
    ['business', 10],
    ['reader', 35],
    ['occasional', 55],
  ]);
  const signsUp = random.chance(0.4);
  const topics = [
    ...(random.chance(0.7) ? ['newsletter'] : []),
    ...(random.chance(persona === 'reader' ? 0.85 : 0.3) ? ['recommendations'] : []),
    ...(random.chance(persona === 'business' ? 0.7 : 0.15) ? ['product-updates'] : []),
  ];
  return {
    index,
    name: `${first} ${last}`,
    email: `${first}.${last}.${index}@example.com`.toLowerCase(),
    userId: `shop-${String(index + 1).padStart(4, '0')}`,
    timeZone: random.weighted(timeZones),
    persona,
    signsUp,
    confirms: signsUp && random.chance(0.85),
    topics: topics.length === 0 ? ['newsletter'] : topics,
    form: topics.includes('newsletter') ? 'newsletter' : 'footer',
    // Everyone who comes in through the shop has bought; some subscribers only read the newsletter.
    buys: !signsUp || random.chance(0.8),
  };
};

/**
 * Heavy-tailed activity (Pareto, shape 1.5, capped): most customers buy at the
 * base rate, a few several times as often, so a minority brings most revenue.
 */
const activityOf = (random: SeededRandom): number => Math.min(4, (1 - random.next()) ** (-1 / 1.5));

const productsIn = (category: DemoCategory): DemoProduct[] =>
  catalog.filter((product) => product.category === category);

/** Every book of the catalog (the launch's new one is not in it). */
export const allBooks = catalog.filter((product) => genreOf(product) !== undefined);

/** One line of an order: the product at its catalog price. */
export const orderLine = (product: DemoProduct, quantity = 1): OrderLine => ({
  sku: product.sku,
  name: product.name,
  price: product.price,
  quantity,
});

/** Moments from `start` every `interval` days or so, until `end`. */
const rhythm = (random: SeededRandom, start: number, end: number, intervalDays: number): number[] => {
  const moments: number[] = [];
  for (let at = start; at < end; at += intervalDays * DAY_MS * random.between(0.6, 1.4)) moments.push(at);
  return moments;
};

/** One person's orders over the year: when, and what. */
const ordersOf = (
  random: SeededRandom,
  person: DemoPerson,
  now: number,
): Array<{ at: number; lines: OrderLine[] }> => {
  const start = now - random.between(20, 365) * DAY_MS;
  const activity = activityOf(random);
  // A third of repeat customers stop buying at some point in the year: the lapsed tier.
  const end = random.chance(0.33) ? start + (now - start) * random.between(0.2, 0.9) : now - DAY_MS / 24;
  switch (person.persona) {
    case 'reader': {
      const favourite = random.weighted<Genre>([
        ['crime', 35],
        ['fantasy', 30],
        ['history', 20],
        ['cooking', 15],
      ]);
      return rhythm(random, start, end, 70 / activity).map((at) => ({
        at,
        lines: Array.from({ length: random.chance(0.7) ? 1 : 2 }, () =>
          orderLine(
            random.pick(productsIn(bookCategory(random.chance(0.8) ? favourite : random.pick(genres)))),
          ),
        ),
      }));
    }
    case 'business': {
      const filter = random.pick(productsIn('office/filters'));
      const paper = () => orderLine(random.pick(productsIn('office/paper')), random.int(2, 10));
      // The first order is one basket: a new copier for some, the filter it takes, paper.
      const copier = random.chance(0.35) ? [orderLine(random.pick(productsIn('office/copiers')))] : [];
      const first = { at: start, lines: [...copier, orderLine(filter), paper()] };
      // A quarter never reorder the filter, so their replacement reminder falls due.
      const refills = random.chance(0.25)
        ? []
        : rhythm(random, start + 180 * DAY_MS * random.between(0.8, 1.1), end, 180);
      const restockDays = 45 / activity;
      const restocks = rhythm(
        random,
        start + restockDays * DAY_MS * random.between(0.6, 1.4),
        end,
        restockDays,
      );
      return [
        first,
        ...refills.map((at) => ({ at, lines: [orderLine(filter)] })),
        ...restocks.map((at) => ({ at, lines: [paper()] })),
      ];
    }
    case 'occasional':
      return Array.from({ length: random.chance(0.7) ? 1 : 2 }, () => ({
        at: now - random.between(1, 365) * DAY_MS,
        lines: [
          random.chance(0.6)
            ? orderLine(random.pick(allBooks))
            : orderLine(random.pick(productsIn('office/paper')), random.int(1, 3)),
        ],
      }));
  }
};

const iso = (at: number): string => new Date(at).toISOString();

/** An Order Completed call as the shop's backend posts it, with its lines and total for the demo's sums. */
export const orderCompleted = (
  person: DemoPerson,
  orderId: string,
  lines: OrderLine[],
  at: number,
): PlannedCall => {
  const total = round2(lines.reduce((sum, l) => sum + l.price * l.quantity, 0));
  return {
    at,
    person: person.index,
    kind: 'order',
    lines,
    amount: total,
    call: {
      type: 'track',
      event: 'Order Completed',
      userId: person.userId,
      messageId: `order-${orderId}`,
      timestamp: iso(at),
      properties: { order_id: orderId, total, currency: 'EUR', products: lines },
    },
  };
};

/** The shop for this seed and size, as of `now`. */
export const demoShop = (options: { contacts: number; seed: number; now: Date }): DemoShop => {
  const random = seededRandom(options.seed);
  const now = options.now.getTime();
  const people = Array.from({ length: options.contacts }, (_, index) => personOf(random, index));
  const orders = people.flatMap((person) =>
    person.buys
      ? ordersOf(random, person, now)
          .filter((order) => order.at < now)
          .map((order) => ({ ...order, person }))
      : [],
  );
  orders.sort((a, b) => a.at - b.at);
  const calls: PlannedCall[] = [];
  const identified = new Set<number>();
  for (const [number, order] of orders.entries()) {
    const { person } = order;
    if (!identified.has(person.index)) {
      identified.add(person.index);
      calls.push({
        at: order.at - 5 * 60_000,
        person: person.index,
        kind: 'identify',
        call: {
          type: 'identify',
          userId: person.userId,
          messageId: `identify-${person.userId}`,
          timestamp: iso(order.at - 5 * 60_000),
          traits: { email: person.email, name: person.name, timezone: person.timeZone },
        },
      });
    }
    const orderId = `O-${10_001 + number}`;
    const completed = orderCompleted(person, orderId, order.lines, order.at);
    const total = completed.amount ?? 0;
    calls.push(completed);
    // About one order in twenty-five comes back, in full or in part, within two weeks.
    const refundAt = order.at + random.between(1, 14) * DAY_MS;
    if (random.chance(0.04) && refundAt < now) {
      const amount = random.chance(0.7) ? total : round2(total / 2);
      calls.push({
        at: refundAt,
        person: person.index,
        kind: 'refund',
        amount,
        call: {
          type: 'track',
          event: 'Order Refunded',
          userId: person.userId,
          messageId: `refund-${orderId}`,
          timestamp: iso(refundAt),
          properties: { order_id: orderId, total: amount },
        },
      });
    }
  }
  calls.sort((a, b) => a.at - b.at);
  return { people, calls };
};
