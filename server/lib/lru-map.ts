/**
 * A Map that holds at most `limit` entries: get() and set() mark an entry as used, and a set()
 * at the limit drops the entry used longest ago. For the in-memory caches of a server process.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // re-inserted: a Map iterates in insertion order, so the first key is the one used longest ago
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }
}
