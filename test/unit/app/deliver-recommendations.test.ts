import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryCatalogStore } from '../../../lib/adapters/memory/memory-catalog-store.js';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { aDeliveryWorld, aJourneyMessage, aSubscribedContact, type DeliveryWorld } from './support/worlds.js';

let world: DeliveryWorld;
let catalog: MemoryCatalogStore;

beforeEach(async () => {
  world = await aDeliveryWorld({ now: '2026-11-23T12:00:00.000Z' });
  catalog = world.world.catalog;
  await publishCompiled(
    world.world.templates,
    {
      id: 'picks',
      kind: 'marketing',
      subject: 'New for you',
      text: '{% for item in recommendations %}* {{ item.name }} [{{ item.reason }}]\n{% endfor %}{{ links.unsubscribe }} {{ links.preferences }} {{ postalAddress }}',
      mjml: '<mj-text>{% for item in recommendations %}{{ item.name }} {% endfor %}<a href="{{ links.unsubscribe }}">u</a> <a href="{{ links.preferences }}">p</a> {{ postalAddress }}</mj-text>',
      recommendations: { limit: 3, skip_unless: 'new-in-category' },
    },
    world.clock.now(),
  );
});

const reader = (lastRecommendedAt?: string) =>
  aSubscribedContact({
    email: `reader-${lastRecommendedAt ?? 'never'}@example.com`,
    customer: {
      ...emptyCustomerCard(),
      orders: 2,
      revenue: 2500,
      averageOrderValue: 1250,
      currency: 'EUR',
      firstPurchaseAt: '2026-09-01T10:00:00.000Z',
      lastPurchaseAt: '2026-11-01T10:00:00.000Z',
      categories: { crime: 2 },
      categoryLastPurchasedAt: { crime: '2026-11-01T10:00:00.000Z' },
      ownedProducts: [
        { sku: 'OLD-1', category: 'crime', purchasedAt: '2026-11-01T10:00:00.000Z', orderId: 'o-1' },
      ],
      ...(lastRecommendedAt === undefined ? {} : { lastRecommendedAt }),
    },
  });

const book = async (sku: string, name: string, publishedAt: string) => {
  const at = '2026-01-01T00:00:00.000Z';
  await catalog.put(
    { sku, name, category: 'crime', price: 12.5, currency: 'EUR', createdAt: at, updatedAt: at },
    undefined,
  );
  await catalog.publish(sku, publishedAt, at);
};

describe('a template that lists recommendations', () => {
  it('lists what is new in the reader’s categories, never what they own, and remembers that it did', async () => {
    await book('OLD-1', 'Already Read', '2026-11-20T09:00:00.000Z');
    await book('NEW-1', 'Murder at the Harbour', '2026-11-21T09:00:00.000Z');
    const contact = reader('2026-11-10T00:00:00.000Z');
    const message = aJourneyMessage(contact.id, { templateId: 'picks' });
    await world.add(contact, [message]);
    expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });
    const [mail] = world.world.mailer.sentTo(contact.email);
    expect(mail?.email.text).toContain('* Murder at the Harbour [new-in-category]');
    expect(mail?.email.text).not.toContain('Already Read');
    const sent = await world.contacts.get(contact.id);
    expect(sent?.customer?.lastRecommendedAt).toBe('2026-11-23T12:00:00.000Z');
  });

  it('skips the message when nothing is new since the last recommendation', async () => {
    await book('NEW-1', 'Murder at the Harbour', '2026-11-05T09:00:00.000Z');
    const contact = reader('2026-11-10T00:00:00.000Z');
    const message = aJourneyMessage(contact.id, { templateId: 'picks' });
    await world.add(contact, [message]);
    expect(await deliverMessage(world.deps, message)).toEqual({
      outcome: 'skipped',
      reason: 'nothing-to-recommend',
    });
    expect(await world.outbox.get(contact.id, message.key)).toMatchObject({
      status: 'skipped',
      skipReason: 'nothing-to-recommend',
    });
  });
});
