import { SeededIdGenerator } from '../../../lib/adapters/memory/seeded-id-generator.js';
import { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import { idGeneratorContract } from '../../contracts/id-generator.contract.js';

idGeneratorContract('the ULID generator', () => new UlidIdGenerator());
idGeneratorContract(
  'the seeded generator',
  () => new SeededIdGenerator(new VirtualClock('2026-11-23T12:00:00Z'), 7),
);
