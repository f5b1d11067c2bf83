/** A small LRU map (insertion order of a Map is the recency order). */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V): void {
    if (this.max <= 0) return;
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  deleteWhere(pred: (k: K) => boolean): void {
    for (const k of [...this.map.keys()]) if (pred(k)) this.map.delete(k);
  }
  get size(): number {
    return this.map.size;
  }
}

/** An LRU of byte buffers bounded by entry count and by total bytes. */
export class BufferLru<K> {
  private readonly map = new Map<K, Buffer>();
  private bytes = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}
  get(k: K): Buffer | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: K, v: Buffer): void {
    if (this.maxEntries <= 0 || v.length > this.maxBytes) return;
    const old = this.map.get(k);
    if (old) {
      this.bytes -= old.length;
      this.map.delete(k);
    }
    this.map.set(k, v);
    this.bytes += v.length;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldest, buf] = this.map.entries().next().value as [K, Buffer];
      this.map.delete(oldest);
      this.bytes -= buf.length;
    }
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }
  get totalBytes(): number {
    return this.bytes;
  }
}
