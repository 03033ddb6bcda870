/** Bins per nat of (max - logit) / temperature. */
const BINS_PER_NAT = 16;
/** Bins in all; the last one also takes everything further than 64 nats below the maximum. */
const BINS = 64 * BINS_PER_NAT;

let binOf = new Uint16Array(0);
const binMass = new Float64Array(BINS);

/**
 * Top-p (nucleus) truncation without sorting the vocabulary: the smallest set of most likely
 * tokens (ties: smaller id first) whose weight reaches `topP * total`, with its weights.
 *
 * Tokens are binned by (max - logit) / temperature in steps of 1/16 nat, a non-increasing
 * function of the logit, so every token of an earlier bin is strictly more likely than every
 * token of a later one. The bin where the running mass reaches the target is the only one
 * that needs sorting; earlier bins are kept whole, later ones dropped. Same set as sorting
 * everything, except that masses are summed in another order (rounding only). The kept ids
 * come in token order, then the boundary bin in decreasing order.
 *
 * @example
 * ```ts
 * const dist = nucleus(logits, weights, logits.length, total, max, 1 / 0.7, 0.95);
 * ```
 */
export function nucleus(
  logits: Float32Array,
  weights: Float64Array,
  n: number,
  total: number,
  max: number,
  inv: number,
  topP: number,
): { ids: number[]; weights: Float64Array } {
  if (binOf.length < n) binOf = new Uint16Array(n);
  binMass.fill(0);
  const scale = inv * BINS_PER_NAT;
  // Tokens lighter than (1 - p) total / n weigh at most (1 - p) total together, so the heavier
  // ones already reach p: the nucleus is among them, and the lighter ones are never binned.
  const cutoff = Math.max(Number.MIN_VALUE, ((1 - topP) * total) / n);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w >= cutoff)) {
      binOf[i] = BINS; // never kept
      continue;
    }
    const b = Math.min(BINS - 1, Math.floor((max - logits[i]!) * scale));
    binOf[i] = b;
    binMass[b]! += w;
  }
  const target = topP * total;
  let mass = 0;
  let boundary = 0;
  while (boundary < BINS - 1 && mass + binMass[boundary]! < target) mass += binMass[boundary++]!;
  const ids: number[] = [];
  const edge: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = binOf[i]!;
    if (b < boundary) ids.push(i);
    else if (b === boundary) edge.push(i);
  }
  edge.sort((a, b) => logits[b]! - logits[a]! || a - b);
  for (let j = 0; j < edge.length && mass < target; j++) {
    ids.push(edge[j]!);
    mass += weights[edge[j]!]!;
  }
  return { ids, weights: Float64Array.from(ids, (id) => weights[id]!) };
}
