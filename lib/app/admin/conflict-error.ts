/**
 * The request is well-formed but the resource's state forbids it: publishing with
 * no draft, resuming an archived journey, a save that raced another. The admin
 * handlers answer it with 409.
 */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
