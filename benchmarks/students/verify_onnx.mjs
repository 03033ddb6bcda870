// Check an ONNX student against PyTorch reference logits with onnxruntime-node.
// Usage: node benchmarks/students/verify_onnx.mjs MODEL.onnx REFERENCE.json
// Prints one JSON line (max abs differences, speed) and exits 1 on a mismatch.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import ort from "onnxruntime-node";

const [modelPath, refPath] = process.argv.slice(2);
if (!modelPath || !refPath) {
  console.error("usage: node verify_onnx.mjs MODEL.onnx REFERENCE.json");
  process.exit(2);
}
const ref = JSON.parse(readFileSync(refPath, "utf8"));
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2, interOpNumThreads: 1 });

function tensor(rows) {
  const data = BigInt64Array.from(rows.flat().map((v) => BigInt(v)));
  return new ort.Tensor("int64", data, [rows.length, rows[0].length]);
}

function compareCase(c, logits, vocab) {
  const worst = { logit: 0, max: 0, mean: 0, logsumexp: 0, argmax: 0 };
  const [b, t] = [c.input_ids.length, c.input_ids[0].length];
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < t; j++) {
      if (c.attention_mask && c.attention_mask[i][j] === 0) continue;
      const row = logits.subarray((i * t + j) * vocab, (i * t + j + 1) * vocab);
      let max = -Infinity, arg = -1, sum = 0;
      for (let v = 0; v < vocab; v++) {
        sum += row[v];
        if (row[v] > max) [max, arg] = [row[v], v];
      }
      let se = 0;
      for (let v = 0; v < vocab; v++) se += Math.exp(row[v] - max);
      ref.checkIds.forEach((id, k) => {
        worst.logit = Math.max(worst.logit, Math.abs(row[id] - c.logits[i][j][k]));
      });
      worst.max = Math.max(worst.max, Math.abs(max - c.max[i][j]));
      worst.mean = Math.max(worst.mean, Math.abs(sum / vocab - c.mean[i][j]));
      worst.logsumexp = Math.max(worst.logsumexp, Math.abs(max + Math.log(se) - c.logsumexp[i][j]));
      if (arg !== c.argmax[i][j]) worst.argmax++;
    }
  }
  return worst;
}

const report = { model: modelPath, inputs: session.inputNames, cases: [] };
let ok = true;
for (const c of ref.cases) {
  const feeds = { input_ids: tensor(c.input_ids) };
  if (session.inputNames.includes("attention_mask")) {
    feeds.attention_mask = tensor(c.attention_mask ?? c.input_ids.map((r) => r.map(() => 1)));
  }
  const t0 = performance.now();
  const out = (await session.run(feeds)).logits;
  const ms = performance.now() - t0;
  const vocab = out.dims[2];
  const worst = compareCase(c, out.data, vocab);
  const pass = vocab === ref.vocabSize && worst.argmax === 0 &&
    ["logit", "max", "mean", "logsumexp"].every((k) => worst[k] <= ref.tolerance);
  ok &&= pass;
  report.cases.push({ name: c.name, dims: out.dims, ms: Math.round(ms * 10) / 10, pass, worst });
}
report.pass = ok;
console.log(JSON.stringify(report));
process.exit(ok ? 0 : 1);
