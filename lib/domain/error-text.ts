/** What went wrong, as a person reads it in a stored status or a rendered problem: the message alone. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The same with the error's name, for logs and dead letters, where the kind of failure matters. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
