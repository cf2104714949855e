import { describe, expect, it } from 'vitest';
import { handleContactEvent } from '../../../lib/app/handle-contact-event.js';
import { aSignup, aSubscribedContact } from '../../support/builders.js';
import { advanceDepsFor, aWorld } from './support/worlds.js';

describe('when an event changes a contact', () => {
  it('reads the contact once for the live segments and the journeys both', async () => {
    const world = aWorld();
    const contact = aSubscribedContact();
    await world.contacts.create(aSignup(contact));
    const deps = advanceDepsFor(world);
    let reads = 0;
    const counted = {
      ...deps,
      contacts: Object.assign(Object.create(deps.contacts), {
        get: async (contactId: string) => {
          reads += 1;
          return deps.contacts.get(contactId);
        },
      }),
    };

    await handleContactEvent(counted, {
      id: 'ev-1',
      contactId: contact.id,
      type: 'contact_updated',
      at: world.clock.now().toISOString(),
      data: { changed: ['name'], attributes: {}, source: 'identify' },
    });

    expect(reads).toBe(1);
  });
});
