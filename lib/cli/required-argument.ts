/** The command's first argument, or a usage mistake naming what is missing. */
export const requiredArgument = (
  rest: readonly string[],
  what: string,
  usage: (message: string) => Error,
): string => {
  const [value] = rest;
  if (value === undefined) throw usage(`give the ${what}`);
  return value;
};
