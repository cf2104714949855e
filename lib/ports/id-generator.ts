/** Sortable unique ids (ULIDs in production). */
export interface IdGenerator {
  next(): string;
}
