/** The value of `key` in a cache map, made (and stored) on first use. */
export function getOrCreate<K, V>(
  cache: { get(k: K): V | undefined; set(k: K, v: V): unknown },
  key: K,
  make: () => V,
): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    cache.set(key, v);
  }
  return v;
}
