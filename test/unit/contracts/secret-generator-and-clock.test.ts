import { SeededSecretGenerator } from '../../../lib/adapters/memory/seeded-secret-generator.js';
import { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { RandomSecretGenerator } from '../../../lib/adapters/system/random-secret-generator.js';
import { SystemClock } from '../../../lib/adapters/system/system-clock.js';
import { clockContract } from '../../contracts/clock.contract.js';
import { secretGeneratorContract } from '../../contracts/secret-generator.contract.js';

secretGeneratorContract('the random secret generator', () => new RandomSecretGenerator());
secretGeneratorContract('the seeded secret generator', () => new SeededSecretGenerator(5));
clockContract('the system clock', () => new SystemClock());
clockContract('the virtual clock', () => new VirtualClock('2026-11-23T12:00:00.000Z'));
