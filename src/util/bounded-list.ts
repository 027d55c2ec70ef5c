// A list that keeps its first `limit` items and only counts the rest. Messages and names
// found on a hostile disk are collected in these: their number follows the input, and a
// crafted input must not be able to grow memory or a report without end.
export class BoundedList<T> {
  readonly items: T[] = [];
  /** Items offered after the list was full. */
  dropped = 0;

  constructor(readonly limit: number) {}

  push(item: T): void {
    if (this.items.length < this.limit) this.items.push(item);
    else this.dropped++;
  }

  get full(): boolean {
    return this.items.length >= this.limit;
  }

  /** Items kept plus items dropped. */
  get total(): number {
    return this.items.length + this.dropped;
  }
}
