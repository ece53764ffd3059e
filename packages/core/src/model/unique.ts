/** De-duplicates, keeping the first occurrence. */
export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
