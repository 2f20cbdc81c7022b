/**
 * Which released batch holds a leaf, over every batch's leaf file at once: a hash map keyed by a
 * leaf's first six bytes (leaves are hashes, so that is near unique) with the full 32 bytes compared
 * on a hit. About 40 MB for a million codes, built at a few million leaves a second.
 */
export class LeafIndex {
  /** each batch's leaves (32 bytes each), and the batch ids, by body number */
  private bodies: Uint8Array[] = [];
  private batchIds: number[] = [];
  /** key -> reference (body number * 2^32 + rank), or several on a key collision */
  private refs = new Map<number, number | number[]>();

  get size(): number {
    return this.refs.size;
  }

  /**
   * Adds a batch's leaves (concatenated 32-byte hashes); returns the leaves (with the batch already
   * holding each) that an earlier batch released too. Those stay with their first batch.
   */
  add(batch: number, leaves: Uint8Array): { offset: number; batch: number }[] {
    const body = this.bodies.length;
    this.bodies.push(leaves);
    this.batchIds.push(batch);
    const repeated: { offset: number; batch: number }[] = [];
    for (let rank = 0; rank * 32 < leaves.length; rank++) {
      const offset = rank * 32;
      const key = keyOf(leaves, offset);
      const ref = body * 2 ** 32 + rank;
      const existing = this.refs.get(key);
      if (existing === undefined) {
        this.refs.set(key, ref);
        continue;
      }
      const list = typeof existing === "number" ? [existing] : existing;
      const same = list.find((r) => this.equals(r, leaves, offset));
      if (same !== undefined) {
        repeated.push({ offset, batch: this.batchIds[Math.floor(same / 2 ** 32)] });
        continue;
      }
      this.refs.set(key, [...list, ref]);
    }
    return repeated;
  }

  /** The batch that released `leaf` (32 bytes at `offset`), or undefined. */
  batchOf(leaf: Uint8Array, offset = 0): number | undefined {
    const found = this.refs.get(keyOf(leaf, offset));
    if (found === undefined) return undefined;
    for (const r of typeof found === "number" ? [found] : found) {
      if (this.equals(r, leaf, offset)) return this.batchIds[Math.floor(r / 2 ** 32)];
    }
    return undefined;
  }

  private equals(ref: number, leaf: Uint8Array, offset: number): boolean {
    const body = this.bodies[Math.floor(ref / 2 ** 32)];
    const at = (ref % 2 ** 32) * 32;
    for (let i = 0; i < 32; i++) if (body[at + i] !== leaf[offset + i]) return false;
    return true;
  }
}

function keyOf(b: Uint8Array, o: number): number {
  return (
    b[o] * 2 ** 40 + b[o + 1] * 2 ** 32 + ((b[o + 2] << 24) >>> 0) + ((b[o + 3] << 16) | (b[o + 4] << 8) | b[o + 5])
  );
}
