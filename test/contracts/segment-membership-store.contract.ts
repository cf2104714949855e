import { beforeAll, describe, expect, it } from 'vitest';
import type { ContactEvent } from '../../lib/domain/contact-event.js';
import { segmentEvent } from '../../lib/domain/segment-membership.js';
import { newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const at = new Date('2026-11-23T12:00:00.000Z');
const vip = { id: 'vip', name: 'VIPs' };

const entered = (contactId: string): ContactEvent =>
  segmentEvent('segment_entered', contactId, vip, newId(), at);
const exited = (contactId: string): ContactEvent =>
  segmentEvent('segment_exited', contactId, vip, newId(), at);

const eventsOf = async (stores: ContractStores, contactId: string) =>
  (await stores.personalData.partition(contactId))
    .filter((item) => item.group === 'events')
    .map((item) => item.item);

/** SegmentMembershipStore: what every adapter must do. */
export const segmentMembershipStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    describe('when a contact enters a segment', () => {
      it('stores the marker and the event together', async () => {
        const contactId = newId();
        const event = entered(contactId);

        expect(
          await stores.segmentMemberships.enter(
            { contactId, segmentId: 'vip', enteredAt: at.toISOString() },
            event,
          ),
        ).toBe(true);

        expect(await stores.segmentMemberships.of(contactId)).toEqual([
          { contactId, segmentId: 'vip', enteredAt: at.toISOString() },
        ]);
        expect(await eventsOf(stores, contactId)).toEqual([event]);
      });

      it('writes nothing when the marker is there already (a replay), not even the new event', async () => {
        const contactId = newId();
        const first = entered(contactId);
        await stores.segmentMemberships.enter(
          { contactId, segmentId: 'vip', enteredAt: at.toISOString() },
          first,
        );

        expect(
          await stores.segmentMemberships.enter(
            { contactId, segmentId: 'vip', enteredAt: '2026-11-24T00:00:00.000Z' },
            entered(contactId),
          ),
        ).toBe(false);

        expect(await eventsOf(stores, contactId)).toEqual([first]);
        expect(await stores.segmentMemberships.of(contactId)).toEqual([
          expect.objectContaining({ enteredAt: at.toISOString() }),
        ]);
      });

      it('lists only this contact’s markers, one per segment', async () => {
        const contactId = newId();
        const other = newId();
        for (const segmentId of ['b-list', 'a-list']) {
          await stores.segmentMemberships.enter(
            { contactId, segmentId, enteredAt: at.toISOString() },
            segmentEvent('segment_entered', contactId, { id: segmentId, name: segmentId }, newId(), at),
          );
        }
        await stores.segmentMemberships.enter(
          { contactId: other, segmentId: 'vip', enteredAt: at.toISOString() },
          entered(other),
        );

        expect((await stores.segmentMemberships.of(contactId)).map((m) => m.segmentId)).toEqual([
          'a-list',
          'b-list',
        ]);
        expect(await stores.segmentMemberships.of(newId())).toEqual([]);
      });
    });

    describe('when a contact leaves a segment', () => {
      it('deletes the marker and writes the event together', async () => {
        const contactId = newId();
        const entry = entered(contactId);
        await stores.segmentMemberships.enter(
          { contactId, segmentId: 'vip', enteredAt: at.toISOString() },
          entry,
        );
        const exit = exited(contactId);

        expect(await stores.segmentMemberships.exit(contactId, 'vip', exit)).toBe(true);

        expect(await stores.segmentMemberships.of(contactId)).toEqual([]);
        expect(await eventsOf(stores, contactId)).toEqual(
          [entry, exit].sort((a, b) => a.id.localeCompare(b.id)),
        );
      });

      it('writes nothing when there is no marker (left already, or never in)', async () => {
        const contactId = newId();

        expect(await stores.segmentMemberships.exit(contactId, 'vip', exited(contactId))).toBe(false);

        expect(await eventsOf(stores, contactId)).toEqual([]);
      });
    });

    describe('the export of a contact', () => {
      it('shows the markers among the markers', async () => {
        const contactId = newId();
        await stores.segmentMemberships.enter(
          { contactId, segmentId: 'vip', enteredAt: at.toISOString() },
          entered(contactId),
        );

        const markers = (await stores.personalData.partition(contactId)).filter(
          (item) => item.group === 'markers',
        );

        expect(markers.map((item) => item.item)).toEqual([
          { type: 'segment-membership', contactId, segmentId: 'vip', enteredAt: at.toISOString() },
        ]);
      });
    });
  });
