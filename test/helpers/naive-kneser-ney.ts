/**
 * A deliberately naive interpolated modified Kneser-Ney model (string-keyed maps, straight
 * from the formulas) that the fast implementation is checked against. Test helper only.
 */
export interface NaiveModel {
  probability(context: readonly number[], token: number): number;
}

export function naiveKneserNey(docs: readonly (readonly number[])[], order: number, vocabSize: number): NaiveModel {
  const key = (ids: readonly number[]): string => ids.join(',');
  const counts: Map<string, number>[] = [];
  for (let k = 1; k <= order; k++) {
    const map = new Map<string, number>();
    if (k === order) {
      for (const d of docs)
        for (let i = 0; i + k <= d.length; i++) {
          const g = key(d.slice(i, i + k));
          map.set(g, (map.get(g) ?? 0) + 1);
        }
    } else {
      // Continuation count: distinct tokens seen just before, a document start counting once.
      const lefts = new Map<string, Set<number>>();
      for (const d of docs)
        for (let i = 0; i + k <= d.length; i++) {
          const g = key(d.slice(i, i + k));
          if (!lefts.has(g)) lefts.set(g, new Set());
          lefts.get(g)!.add(i === 0 ? -1 : d[i - 1]!);
        }
      for (const [g, s] of lefts) map.set(g, s.size);
    }
    counts[k] = map;
  }
  const discounts: number[][] = [];
  const stats: Map<string, { total: number; n: number[] }>[] = [];
  for (let k = 1; k <= order; k++) {
    const n = [0, 0, 0, 0, 0];
    for (const c of counts[k]!.values()) if (c <= 4) n[c]!++;
    const y = n[1]! / (n[1]! + 2 * n[2]!);
    // Out-of-range estimates (tiny vocabularies) fall back to 0.5, 1, 1.5, as documented.
    const sane = (d: number, c: number): number => (d > 0 && d < c ? d : c / 2);
    discounts[k] = [0, sane(1 - (2 * y * n[2]!) / n[1]!, 1), sane(2 - (3 * y * n[3]!) / n[2]!, 2), sane(3 - (4 * y * n[4]!) / n[3]!, 3)];
    const s = new Map<string, { total: number; n: number[] }>();
    for (const [g, c] of counts[k]!) {
      const ids = g.split(',').map(Number);
      const h = key(ids.slice(0, -1));
      if (!s.has(h)) s.set(h, { total: 0, n: [0, 0, 0, 0] });
      const e = s.get(h)!;
      e.total += c;
      e.n[Math.min(c, 3)]!++;
    }
    stats[k] = s;
  }
  const D = (k: number, c: number): number => discounts[k]![Math.min(c, 3)]!;
  const prob = (k: number, ctx: readonly number[], w: number): number => {
    if (k === 0) return 1 / vocabSize;
    const lower = prob(k - 1, ctx.slice(1), w);
    const st = stats[k]!.get(key(ctx));
    if (!st) return lower;
    const c = counts[k]!.get(key([...ctx, w])) ?? 0;
    const a = c > 0 ? (c - D(k, c)) / st.total : 0;
    const gamma = (D(k, 1) * st.n[1]! + D(k, 2) * st.n[2]! + D(k, 3) * st.n[3]!) / st.total;
    return a + gamma * lower;
  };
  return {
    probability(context, token) {
      const ctx = context.slice(Math.max(0, context.length - order + 1));
      return prob(ctx.length + 1, ctx, token);
    },
  };
}
