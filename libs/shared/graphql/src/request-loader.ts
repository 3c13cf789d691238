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

/**
 * The one-to-many twin of `requestLoader`: every `load(key)` of the same tick shares one `fetchMany` call, and
 * each key resolves to its rows in fetch order ([] when it has none).
 */
export function requestGroupLoader<K, V>(
  name: string,
  fetchMany: (keys: readonly K[]) => Promise<V[]>,
  groupOf: (value: V) => K,
): DataLoader<K, V[]> {
  return RequestContext.item(Symbol.for(`loader:${name}`), () => {
    return new DataLoader<K, V[]>(async (keys) => {
      const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
      for (const row of await fetchMany(keys)) groups.get(groupOf(row))?.push(row);
      return keys.map((key) => groups.get(key) as V[]);
    });
  });
}
