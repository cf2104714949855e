import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import type { MemoryContactStore } from '../../../lib/adapters/memory/memory-contact-store.js';
import type { MemoryJourneyJobStore } from '../../../lib/adapters/memory/memory-journey-job-store.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import {
  deleteProduct,
  type ManageCatalogDeps,
  productJobs,
  publishProduct,
  putProduct,
} from '../../../lib/app/manage-catalog.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import type { JourneyJob } from '../../../lib/domain/journey-job.js';
import type { JourneyJobStore } from '../../../lib/ports/journey-job-store.js';
import { aContact, aSignup } from '../../support/builders.js';
import { aWorld, jobDepsFor } from './support/worlds.js';

let world: MemoryWorld;
let contacts: MemoryContactStore;
let jobs: MemoryJourneyJobStore;
let catalogDeps: ManageCatalogDeps;

beforeEach(async () => {
  world = aWorld('2026-11-02T10:00:00Z');
  contacts = world.contacts;
  jobs = world.jobs;
  const { catalog, clock } = world;
  catalogDeps = { catalog, jobs, ids: world.ids, clock };
});

const runJobs = (eventsPerRun: number, store: JourneyJobStore = jobs) =>
  runJourneyJobs(jobDepsFor(world, { jobs: store, settings: { fanOutEventsPerRun: eventsPerRun } }), {
    outOfTime: () => false,
    pageSize: 3,
  });

const addContact = async (categories?: Record<string, number>): Promise<Contact> => {
  const contact = aContact(
    categories === undefined ? {} : { customer: { ...emptyCustomerCard(), categories } },
  );
  await contacts.create(aSignup(contact));
  return contact;
};

/** The product_published events on the contact's timeline, as stored. */
const launchEvents = async (contact: Contact): Promise<Record<string, unknown>[]> =>
  world
    .items(keys.contact(contact.id).PK, keys.eventPrefix)
    .filter((item) => item.eventType === 'product_published');

const allLaunchEvents = async (people: Contact[]): Promise<number> =>
  (await Promise.all(people.map(launchEvents))).reduce((sum, events) => sum + events.length, 0);

const aBook = (sku: string) => ({
  name: `Book ${sku}`,
  category: 'books',
  price: 20,
  url: `https://shop.example.com/${sku}`,
});

const launch = async (sku: string) => {
  await putProduct(catalogDeps, sku, aBook(sku));
  return publishProduct(catalogDeps, sku, undefined);
};

describe('when a product is published', () => {
  it('writes one product_published event to each contact who buys in its category, and none to the others', async () => {
    const readers = await Promise.all([
      addContact({ books: 3 }),
      addContact({ books: 1, garden: 2 }),
      addContact({ books: 5 }),
    ]);
    const others = await Promise.all([addContact({ garden: 4 }), addContact({ books: 0 }), addContact()]);

    const { job, product } = await launch('DUNE-1');
    expect(job).toMatchObject({
      subject: 'product:DUNE-1',
      work: { kind: 'product-fan-out', sku: 'DUNE-1', category: 'books' },
      status: 'pending',
    });
    expect(product.publishedAt).toBe('2026-11-02T10:00:00.000Z');

    expect(await runJobs(600)).toEqual([
      {
        jobId: job.id,
        subject: 'product:DUNE-1',
        kind: 'product-fan-out',
        status: 'done',
        counts: { seen: 6, changed: 3, unchanged: 3 },
      },
    ]);
    for (const reader of readers) {
      expect(await launchEvents(reader)).toEqual([
        expect.objectContaining({
          contactId: reader.id,
          at: '2026-11-02T10:00:00.000Z',
          data: {
            sku: 'DUNE-1',
            name: 'Book DUNE-1',
            category: 'books',
            categories: ['books'],
            price: 20,
            currency: 'EUR',
            url: 'https://shop.example.com/DUNE-1',
            publishedAt: '2026-11-02T10:00:00.000Z',
          },
        }),
      ]);
    }
    for (const other of others) expect(await launchEvents(other)).toEqual([]);
    expect((await productJobs(catalogDeps, 'DUNE-1')).jobs).toEqual([
      expect.objectContaining({ id: job.id, status: 'done' }),
    ]);
  });

  it('writes no more events per run than the cap, shared by every launch, and the next runs carry on', async () => {
    const readers = await Promise.all(Array.from({ length: 5 }, () => addContact({ books: 1 })));
    await Promise.all(Array.from({ length: 3 }, () => addContact({ toys: 1 })));
    await launch('DUNE-1');
    await launch('DUNE-2');
    const written = async () => allLaunchEvents(readers);

    const first = await runJobs(3);
    expect(await written()).toBe(3);
    expect(first.map((job) => job.status)).toEqual(['pending', 'pending']);

    const progress: number[] = [];
    for (let run = 0; run < 5 && (await written()) < 10; run += 1) {
      await runJobs(3);
      progress.push(await written());
    }
    expect(progress).toEqual([6, 9, 10]);
    expect(await runJobs(3)).toEqual([]);
    for (const reader of readers) expect(await launchEvents(reader)).toHaveLength(2);
  });

  it('writes nothing twice when a page is done again after a run died before saving its progress', async () => {
    const readers = await Promise.all(Array.from({ length: 7 }, () => addContact({ books: 2 })));
    await launch('DUNE-1');
    let died = false;
    // Dies saving the first page that wrote events: they are written, the cursor is not moved past them.
    const dyingAfterFirstWrites: JourneyJobStore = {
      create: (job) => jobs.create(job),
      listForSubject: (subject) => jobs.listForSubject(subject),
      pending: () => jobs.pending(),
      save: async (job: JourneyJob, expectedRevision: number) => {
        if (!died && job.counts.changed > 0) {
          died = true;
          throw new Error('the function timed out');
        }
        await jobs.save(job, expectedRevision);
      },
    };
    await expect(runJobs(600, dyingAfterFirstWrites)).rejects.toThrow('timed out');
    const writtenBeforeDying = await allLaunchEvents(readers);
    expect(writtenBeforeDying).toBeGreaterThan(0);

    expect(await runJobs(600)).toEqual([
      expect.objectContaining({
        status: 'done',
        counts: { seen: 7, changed: 7 - writtenBeforeDying, unchanged: writtenBeforeDying },
      }),
    ]);
    for (const reader of readers) expect(await launchEvents(reader)).toHaveLength(1);
  });

  it('finishes without a word when the product was removed before its fan-out ran', async () => {
    const reader = await addContact({ books: 1 });
    await launch('DUNE-1');
    await deleteProduct(catalogDeps, 'DUNE-1');
    expect(await runJobs(600)).toEqual([
      expect.objectContaining({
        kind: 'product-fan-out',
        status: 'done',
        counts: { seen: 0, changed: 0, unchanged: 0 },
      }),
    ]);
    expect(await launchEvents(reader)).toEqual([]);
  });

  it('refuses a launch time in the future, and a product it does not have', async () => {
    await putProduct(catalogDeps, 'DUNE-1', aBook('DUNE-1'));
    await expect(
      publishProduct(catalogDeps, 'DUNE-1', { publishedAt: '2026-12-01T00:00:00Z' }),
    ).rejects.toMatchObject({ fields: { publishedAt: expect.stringContaining('future') } });
    await expect(publishProduct(catalogDeps, 'NONE-1', undefined)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(await jobs.pending()).toEqual([]);
  });
});

describe('when a book in a genre is published', () => {
  const publishIn = async (sku: string, category: string) => {
    await putProduct(catalogDeps, sku, { ...aBook(sku), category });
    return publishProduct(catalogDeps, sku, undefined);
  };

  it('tells the crime reader of a new crime novel, and a buyer in books from before genres, but not the cookbook reader', async () => {
    const crimeReader = await addContact({ 'books/crime': 2 });
    const cookbookReader = await addContact({ 'books/cooking': 3 });
    const bookBuyerBeforeGenres = await addContact({ books: 1 });
    const nordicReader = await addContact({ 'books/crime/nordic': 1 });
    const officeBuyer = await addContact({ 'office/paper': 6 });

    const { job } = await publishIn('CRIME-NEW', 'books/crime');
    expect(job.work).toEqual({ kind: 'product-fan-out', sku: 'CRIME-NEW', category: 'books/crime' });
    expect(await runJobs(600)).toEqual([
      expect.objectContaining({ status: 'done', counts: { seen: 5, changed: 2, unchanged: 3 } }),
    ]);

    for (const told of [crimeReader, bookBuyerBeforeGenres]) {
      expect(await launchEvents(told)).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({
            sku: 'CRIME-NEW',
            category: 'books/crime',
            categories: ['books', 'books/crime'],
          }),
        }),
      ]);
    }
    for (const untold of [cookbookReader, nordicReader, officeBuyer])
      expect(await launchEvents(untold)).toEqual([]);
  });

  it('tells the cookbook reader of a new cookbook, and not the crime reader', async () => {
    const crimeReader = await addContact({ 'books/crime': 2 });
    const cookbookReader = await addContact({ 'books/cooking': 3 });

    await publishIn('COOK-NEW', 'books/cooking');
    await runJobs(600);

    expect(await launchEvents(cookbookReader)).toHaveLength(1);
    expect(await launchEvents(crimeReader)).toEqual([]);
  });
});
