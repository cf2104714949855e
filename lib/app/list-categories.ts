import { type CategoryList, categoryList } from '../domain/category-cycles.js';
import type { Product } from '../domain/product.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { CustomerValueStore } from '../ports/customer-value-store.js';

export interface ListCategoriesDeps {
  catalog: Pick<CatalogStore, 'list'>;
  customerValue: Pick<CustomerValueStore, 'cycles'>;
}

const pageSize = 500;

/** Every category with its configured and learned replacement cycles (the whole catalog is read). */
export const listCategories = async (deps: ListCategoriesDeps): Promise<CategoryList> => {
  const products: Product[] = [];
  let after: string | undefined;
  do {
    const page = await deps.catalog.list(pageSize, after);
    products.push(...page.products);
    after = page.next;
  } while (after !== undefined);
  return categoryList(products, await deps.customerValue.cycles());
};
