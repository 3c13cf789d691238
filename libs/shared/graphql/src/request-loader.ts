import DataLoader from 'dataloader';
import { RequestContext } from '#cairn/shared/tenancy';

/**
 * A DataLoader that lives for one request (so caching never crosses users or tenants) and batches every
 * `load` made in the same tick into one `fetchMany` call. Results come back in key order; missing keys
 * resolve to null.
 */
export function requestLoader<K, V>(
  name: string,
  fetchMany: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (value: V) => K,
): DataLoader<K, V | null> {
  return RequestContext.item(Symbol.for(`loader:${name}`), () => {
    return new DataLoader<K, V | null>(async (keys) => {
      const rows = await fetchMany(keys);
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    });
  });
}
