/** A ConditionExpression with the names and values it uses. */
export interface ExpressionCondition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export interface UpdateParts {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * The parts of an UpdateItem that set exactly these attributes (and remove the
 * `remove` ones), so the attributes an update writes are decided once, beside
 * the items, and the memory table's `apply` spreads the very same record.
 * Placeholders are numbered (`#s0`, `:s0`, `#r0`), clear of a condition's own.
 */
export const setAttributes = (
  attributes: Readonly<Record<string, unknown>>,
  options: { remove?: readonly string[]; condition?: ExpressionCondition } = {},
): UpdateParts => {
  const entries = Object.entries(attributes);
  const remove = options.remove ?? [];
  const condition = options.condition;
  const names = {
    ...Object.fromEntries(entries.map(([name], index) => [`#s${index}`, name])),
    ...Object.fromEntries(remove.map((name, index) => [`#r${index}`, name])),
    ...condition?.names,
  };
  const values = {
    ...Object.fromEntries(entries.map(([, value], index) => [`:s${index}`, value])),
    ...condition?.values,
  };
  return {
    UpdateExpression: [
      entries.length === 0 ? '' : `SET ${entries.map((_, index) => `#s${index} = :s${index}`).join(', ')}`,
      remove.length === 0 ? '' : `REMOVE ${remove.map((_, index) => `#r${index}`).join(', ')}`,
    ]
      .filter((clause) => clause !== '')
      .join(' '),
    ...(condition === undefined ? {} : { ConditionExpression: condition.expression }),
    // DynamoDB refuses an empty map of names or values.
    ...(Object.keys(names).length === 0 ? {} : { ExpressionAttributeNames: names }),
    ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
  };
};
