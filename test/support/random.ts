/** A small seeded PRNG (mulberry32): the same seed gives the same numbers on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A permutation of the items in which each moves at most a bounded distance: sorted by position plus jitter. */
export function jittered<T>(items: readonly { item: T; at: number }[], random: () => number, jitter: number): T[] {
  return items
    .map(({ item, at }) => ({ item, key: at + random() * jitter }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}
