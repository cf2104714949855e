/** An order with more distinct products than this counts only its first ones: n² updates add up. */
const maxSkusPerOrder = 20;

/** The most partners read per product: the strongest are what recommendations use. */
export const maxPartners = 200;

/** Every ordered pair of an order's distinct skus (the first 20), each counted once. */
export const coPurchasePairs = (skus: readonly string[]): Array<readonly [string, string]> => {
  const distinct = [...new Set(skus)].slice(0, maxSkusPerOrder);
  return distinct.flatMap((sku) =>
    distinct.filter((other) => other !== sku).map((other) => [sku, other] as const),
  );
};
