/**
 * A min-heap of things due at a time. Ties go to whatever was pushed first, so a
 * simulation that pushes in the same order always pops in the same order.
 */
export class VirtualQueue<T> {
  private readonly heap: Array<{ at: number; seq: number; item: T }> = [];
  private pushed = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: Date, item: T): void {
    this.heap.push({ at: at.getTime(), seq: this.pushed, item });
    this.pushed += 1;
    this.siftUp(this.heap.length - 1);
  }

  /** The earliest entry, if it is due at or before `limit`. */
  popUntil(limit: Date): { at: Date; item: T } | undefined {
    const first = this.heap[0];
    if (first === undefined || first.at > limit.getTime()) return undefined;
    const last = this.heap.pop();
    if (last !== undefined && this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return { at: new Date(first.at), item: first.item };
  }

  private before(a: number, b: number): boolean {
    const left = this.heap[a];
    const right = this.heap[b];
    if (left === undefined || right === undefined) return false;
    return left.at < right.at || (left.at === right.at && left.seq < right.seq);
  }

  private swap(a: number, b: number): void {
    const left = this.heap[a];
    const right = this.heap[b];
    if (left === undefined || right === undefined) return;
    this.heap[a] = right;
    this.heap[b] = left;
  }

  private siftUp(index: number): void {
    for (let child = index; child > 0; ) {
      const parent = Math.floor((child - 1) / 2);
      if (!this.before(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    for (let parent = index; ; ) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (this.before(left, smallest)) smallest = left;
      if (this.before(right, smallest)) smallest = right;
      if (smallest === parent) return;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }
}
