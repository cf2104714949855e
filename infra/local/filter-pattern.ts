/** Lambda event filtering, as the local runtime's pollers and bus apply it: the domain's matcher. */
export { compileFilters, InvalidFilterPatternError } from '../../lib/domain/filter-pattern.js';
