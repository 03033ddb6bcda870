const V = 200019;
const logits = new Float32Array(V).map(() => Math.random());
const base = Float32Array.from(logits);
const basePow = Float64Array.from(base, (l) => Math.exp(l));
const weights = new Float64Array(V);
const gm = new Float32Array(V).map(() => (Math.random() < 0.25 ? 2 : 0));
for (let rep = 0; rep < 5; rep++) {
  let t0 = performance.now();
  let green = 0, red = 0;
  for (let v = 0; v < V; v++) {
    const l = logits[v];
    const w = l === base[v] ? basePow[v] : Math.exp(l * 1.4);
    weights[v] = w;
    if (gm[v] > 0) green += w; else red += w;
  }
  const t1 = performance.now();
  let s1 = 0, s2 = 0; const total = green + red;
  for (let v = 0; v < V; v++) { const w = weights[v]; s1 += w / (total + 0.5 * w); s2 += w / (total + 0.7 * w); }
  const t2 = performance.now();
  console.log((t1 - t0).toFixed(3), (t2 - t1).toFixed(3), s1 + s2);
}
