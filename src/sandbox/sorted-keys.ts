/**
 * A set of strings kept in sorted order (string order, as Array#sort), as a list of chunks of at most
 * `maxChunk` keys: an insert or delete moves at most one chunk's keys instead of every key after it, so a
 * resource with 100,000 objects costs a create no more than one with 1,000, and a list walks the keys in order
 * without sorting.
 */
export class SortedKeys {
  private readonly chunks: string[][] = [];
  private count = 0;

  constructor(private readonly maxChunk = 512) {}

  get size(): number {
    return this.count;
  }

  /** Add `key`; false when it was already there. */
  add(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.count = 1;
      return true;
    }
    const at = this.chunkFor(key);
    const chunk = this.chunks[at] ?? [];
    const index = lowerBound(chunk, key);
    if (chunk[index] === key) return false;
    chunk.splice(index, 0, key);
    this.count += 1;
    if (chunk.length > this.maxChunk) this.chunks.splice(at + 1, 0, chunk.splice(chunk.length >>> 1));
    return true;
  }

  /** Remove `key`; false when it was not there. */
  delete(key: string): boolean {
    if (this.chunks.length === 0) return false;
    const at = this.chunkFor(key);
    const chunk = this.chunks[at] ?? [];
    const index = lowerBound(chunk, key);
    if (chunk[index] !== key) return false;
    chunk.splice(index, 1);
    this.count -= 1;
    if (chunk.length === 0) this.chunks.splice(at, 1);
    return true;
  }

  /** The keys from the first one not less than `from` (all keys without it), in order. */
  *from(from?: string): Generator<string> {
    let at = from === undefined || this.chunks.length === 0 ? 0 : this.chunkFor(from);
    let index = from === undefined ? 0 : lowerBound(this.chunks[at] ?? [], from);
    for (; at < this.chunks.length; at += 1, index = 0) {
      const chunk = this.chunks[at] ?? [];
      for (; index < chunk.length; index += 1) yield chunk[index] ?? '';
    }
  }

  /** The chunk whose range holds `key`: the first whose last key is not less than it, else the last chunk. */
  private chunkFor(key: string): number {
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = this.chunks[middle] ?? [];
      if ((chunk[chunk.length - 1] ?? '') < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The first index of sorted `keys` whose key is not less than `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] ?? '') < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
