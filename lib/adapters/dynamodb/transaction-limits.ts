/** DynamoDB's own ceiling for one TransactWriteItems call. */
export const maxTransactionItems = 100;

export class TransactionTooLargeError extends Error {
  override readonly name = 'TransactionTooLargeError';
}
