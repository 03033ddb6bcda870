// A direct evaluation of the tiny Llama of tiny-gguf.ts in plain JS (float64): embedding,
// one pre-norm block (RMSNorm, causal attention with llama.cpp's "normal" RoPE on adjacent
// pairs, SwiGLU MLP), final RMSNorm and output head. Gives the logits after every prefix.
import { TINY_SHAPE, TINY_VOCAB, type TinyTensor } from './tiny-gguf.js';

export function tinyLlamaLogits(tensors: TinyTensor[], ids: readonly number[]): Float64Array[] {
  const { embd: E, ff: F, heads: H, eps, ropeBase } = TINY_SHAPE;
  const D = E / H;
  const w = (name: string) => tensors.find((t) => t.name === name)!.data;
  // ggml weight [in, out]: row o (length in) at data[o * in ..].
  const matvec = (m: Float32Array, x: Float64Array, inDim: number, outDim: number) => {
    const y = new Float64Array(outDim);
    for (let o = 0; o < outDim; o++) {
      let s = 0;
      for (let i = 0; i < inDim; i++) s += m[o * inDim + i]! * x[i]!;
      y[o] = s;
    }
    return y;
  };
  const rmsNorm = (x: Float64Array, g: Float32Array) => {
    let ss = 0;
    for (const v of x) ss += v * v;
    const r = 1 / Math.sqrt(ss / x.length + eps);
    return x.map((v, i) => v * r * g[i]!);
  };
  const rope = (x: Float64Array, pos: number) => {
    const y = new Float64Array(x);
    for (let h = 0; h < H; h++)
      for (let i = 0; i < D; i += 2) {
        const theta = pos * Math.pow(ropeBase, -i / D);
        const [c, s] = [Math.cos(theta), Math.sin(theta)];
        const a = x[h * D + i]!;
        const b = x[h * D + i + 1]!;
        y[h * D + i] = a * c - b * s;
        y[h * D + i + 1] = a * s + b * c;
      }
    return y;
  };
  const emb = w('token_embd.weight');
  const xs = ids.map((t) => Float64Array.from(emb.subarray(t * E, (t + 1) * E)));
  const normed = xs.map((x) => rmsNorm(x, w('blk.0.attn_norm.weight')));
  const q = normed.map((x, p) => rope(matvec(w('blk.0.attn_q.weight'), x, E, E), p));
  const k = normed.map((x, p) => rope(matvec(w('blk.0.attn_k.weight'), x, E, E), p));
  const v = normed.map((x) => matvec(w('blk.0.attn_v.weight'), x, E, E));
  return xs.map((x, p) => {
    const att = new Float64Array(E);
    for (let h = 0; h < H; h++) {
      const scores = Array.from({ length: p + 1 }, (_, j) => {
        let s = 0;
        for (let i = 0; i < D; i++) s += q[p]![h * D + i]! * k[j]![h * D + i]!;
        return s / Math.sqrt(D);
      });
      const m = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - m));
      const z = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j <= p; j++) for (let i = 0; i < D; i++) att[h * D + i] = att[h * D + i]! + (e[j]! / z) * v[j]![h * D + i]!;
    }
    const h1 = x.map((xi, i) => xi + matvec(w('blk.0.attn_output.weight'), att, E, E)[i]!);
    const n2 = rmsNorm(h1, w('blk.0.ffn_norm.weight'));
    const gate = matvec(w('blk.0.ffn_gate.weight'), n2, E, F);
    const up = matvec(w('blk.0.ffn_up.weight'), n2, E, F);
    const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!);
    const down = matvec(w('blk.0.ffn_down.weight'), act, F, E);
    const h2 = h1.map((hi, i) => hi + down[i]!);
    return matvec(w('output.weight'), rmsNorm(h2, w('output_norm.weight')), E, TINY_VOCAB);
  });
}
