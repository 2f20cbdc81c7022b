/** A least-recently-used cache of at most `capacity` values (Map keeps insertion order). */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  /** The cached value, or `load`'s (cached); concurrent loads of one key may both run, harmlessly. */
  async get(key: K, load: () => Promise<V> | V): Promise<V> {
    return this.hit(key) ?? this.keep(key, await load());
  }

  /** The cached value, or `build`'s (cached), at once: for values built without I/O. */
  memo(key: K, build: () => V): V {
    return this.hit(key) ?? this.keep(key, build());
  }

  private hit(key: K): V | undefined {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  private keep(key: K, value: V): V {
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
    return value;
  }
}
