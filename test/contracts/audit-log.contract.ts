import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../lib/domain/audit-entry.js';
import { newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const anEntry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  id: newId(),
  at: '2026-11-23T12:00:00.000Z',
  actor: { id: '7d1c6f0e-5b0a-4a53-9a55-0f0f3c1b2a10', role: 'marketer' },
  method: 'POST',
  route: '/admin/journeys/{id}/publish',
  target: { id: 'welcome' },
  status: 200,
  ...overrides,
});

/** AuditLog: append-only, read newest first a page at a time. */
export const auditLogContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('is empty with no next page before anything was changed', async () => {
      expect(await stores.audit.list(10)).toEqual({ entries: [], next: null });
    });

    it('gives back an entry as it was appended, versions included, and without them when it had none', async () => {
      const versioned = anEntry({
        at: '2026-11-23T12:00:01.000Z',
        method: 'PUT',
        route: '/admin/campaigns/{id}',
        target: { id: 'black-friday' },
        versionBefore: 3,
        versionAfter: 4,
      });
      const plain = anEntry({
        at: '2026-11-23T12:00:00.000Z',
        actor: { id: 'arn:aws:iam::1:user/ops', role: 'admin' },
      });
      await stores.audit.append(plain);
      await stores.audit.append(versioned);

      const { entries } = await stores.audit.list(10);

      expect(entries).toEqual([versioned, plain]);
      expect(entries[1]).not.toHaveProperty('versionBefore');
      expect(entries[1]).not.toHaveProperty('versionAfter');
    });

    it('lists newest first, whatever order the entries were appended in', async () => {
      const times = ['2026-11-22T23:59:59.999Z', '2026-11-24T08:00:00.000Z', '2026-11-23T00:00:00.000Z'];
      for (const at of times) await stores.audit.append(anEntry({ at }));

      const { entries } = await stores.audit.list(10);

      expect(entries.map((entry) => entry.at)).toEqual([
        '2026-11-24T08:00:00.000Z',
        '2026-11-23T00:00:00.000Z',
        '2026-11-22T23:59:59.999Z',
      ]);
    });

    it('keeps two entries of the same millisecond', async () => {
      await stores.audit.append(anEntry());
      await stores.audit.append(anEntry());

      expect((await stores.audit.list(10)).entries).toHaveLength(2);
    });

    it('pages through older entries from a page’s next, each entry once, and ends with null', async () => {
      const appended = Array.from({ length: 5 }, (_, minute) =>
        anEntry({ at: `2026-11-23T12:0${minute}:00.000Z` }),
      );
      for (const entry of appended) await stores.audit.append(entry);

      const seen: AuditEntry[] = [];
      let page = await stores.audit.list(2);
      seen.push(...page.entries);
      while (page.next !== null) {
        page = await stores.audit.list(2, page.next);
        seen.push(...page.entries);
      }

      expect(seen).toEqual([...appended].reverse());
    });

    it('refuses to append an entry a second time, so none is overwritten', async () => {
      const entry = anEntry();
      await stores.audit.append(entry);

      await expect(stores.audit.append({ ...entry, status: 201 })).rejects.toThrow();
      expect((await stores.audit.list(10)).entries).toEqual([entry]);
    });
  });
