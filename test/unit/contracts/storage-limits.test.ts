import { MemoryTable } from '../../../lib/adapters/memory/memory-table.js';
import { storageLimitsContract } from '../../contracts/storage-limits.contract.js';

storageLimitsContract('the memory table', async () => {
  const table = new MemoryTable();
  return {
    transact: async (puts) =>
      table.transact(
        puts.map(({ item, onlyIfAbsent }) => ({
          put: item,
          ...(onlyIfAbsent === true ? { condition: (current) => current === undefined } : {}),
        })),
      ),
    get: async (key) => table.get(key),
    put: async (item) => {
      table.write({ put: item });
    },
  };
});
