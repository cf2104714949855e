import type { Order } from '../domain/order.js';

/** Orders by the day they were placed, for reports over a range of days. */
export interface OrderLog {
  /** Every order placed on the UTC day (by its `at`), as stored now: refunds so far included. */
  placedOn(day: string): Promise<Order[]>;
}
