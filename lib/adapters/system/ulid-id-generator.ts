import { monotonicFactory } from 'ulid';
import type { IdGenerator } from '../../ports/id-generator.js';

/** Monotonic, so ids made within one millisecond still sort in the order they were made. */
export class UlidIdGenerator implements IdGenerator {
  private readonly nextUlid = monotonicFactory();

  next(): string {
    return this.nextUlid();
  }
}
