/**
 * Binary min-heap of integer ids ordered by a caller's `less(a, b)`: the priority queue of the
 * label-setting searches (routing and schedules). Ids only, so pushing allocates nothing beyond
 * the occasional doubling of the backing array.
 */
export interface IdOrder {
  less(a: number, b: number): boolean;
}

export class IdHeap {
  private items = new Int32Array(1024);
  size = 0;
  constructor(private readonly order: IdOrder) {}

  push(id: number): void {
    if (this.size === this.items.length) {
      const b = new Int32Array(this.items.length * 2);
      b.set(this.items);
      this.items = b;
    }
    let i = this.size++;
    const items = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.order.less(id, items[p]!)) break;
      items[i] = items[p]!;
      i = p;
    }
    items[i] = id;
  }

  /** Removes and returns the least id; the heap must not be empty. */
  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items[--this.size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.order.less(items[c + 1]!, items[c]!)) c++;
      if (!this.order.less(items[c]!, last)) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }
}
