/**
 * Benchmark of the embedded reference model: corpus loading, tokenization, training time per
 * order, held-out perplexity per order, nextLogits latency at V = 200,019, cache size and
 * load time. Run: `npx tsx benchmarks/model.bench.ts`; writes benchmarks/results/model.json.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KneserNeyModel } from '../src/model/kneser-ney-model.js';
import { perplexity } from '../src/model/perplexity.js';
import { trainKneserNey } from '../src/model/train-kneser-ney.js';
import { loadCorpusDocuments, corpusTokenStreams } from '../src/node/corpora.js';
import { loadOrTrainReferenceModel, referenceModelCachePath } from '../src/node/model-cache.js';
import { getTokenizer } from '../src/key/tokenizer.js';

const V = 200_019;
const ORDERS = [1, 2, 3, 4, 5];
const STEPS = 3000;

function time<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
}

async function timeAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await f();
  return [value, performance.now() - start];
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const total = (streams: Uint32Array[]): number => streams.reduce((sum, s) => sum + s.length, 0);

/** Median and 90th percentile of nextLogits µs over held-out contexts (after a warm-up). */
function nextLogitsLatency(model: KneserNeyModel, heldOut: Uint32Array[]): { median: number; p90: number; worstContext: number } {
  const out = new Float32Array(V);
  const contexts: Uint32Array[] = [];
  for (let d = 0; contexts.length < STEPS; d = (d + 1) % heldOut.length) {
    const doc = heldOut[d]!;
    const end = 1 + ((contexts.length * 7919) % (doc.length - 1));
    contexts.push(doc.subarray(Math.max(0, end - model.order + 1), end));
  }
  for (const ctx of contexts.slice(0, 300)) model.nextLogits(ctx, out);
  const micros = contexts.map((ctx) => time(() => model.nextLogits(ctx, out))[1] * 1000).sort((a, b) => a - b);
  return {
    median: round(micros[STEPS >> 1]!, 2),
    p90: round(micros[Math.floor(STEPS * 0.9)]!, 2),
    worstContext: worstContextMicros(model, out),
  };
}

/** Median µs of one sampleNext draw over held-out contexts. */
function sampleLatency(model: KneserNeyModel, heldOut: Uint32Array[]): number {
  let seed = 12345;
  const random = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const doc = heldOut[0]!;
  const micros: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const end = 1 + ((i * 7919) % (doc.length - 1));
    const ctx = doc.subarray(Math.max(0, end - model.order + 1), end);
    micros.push(time(() => model.sampleNext(ctx, random))[1] * 1000);
  }
  micros.sort((a, b) => a - b);
  return round(micros[STEPS >> 1]!, 2);
}

/** Median µs for the one-token context with the most successors (the slowest step). */
function worstContextMicros(model: KneserNeyModel, out: Float32Array): number {
  const level = model.tables.levels[1];
  if (!level) return 0;
  let best = 0;
  for (let i = 1; i < level.key.length; i++) {
    const size = (i: number): number => level.succStart[i + 1]! - level.succStart[i]!;
    if (size(i) > size(best)) best = i;
  }
  const ctx = [level.key[best]!];
  const micros = Array.from({ length: 101 }, () => time(() => model.nextLogits(ctx, out))[1] * 1000).sort((a, b) => a - b);
  return round(micros[50]!, 2);
}

async function main(): Promise<void> {
  const log = (line: string): void => console.error(line);
  const [, tokenizerInitMs] = time(() => getTokenizer('o200k_base').encode('warm up'));
  const [docs, corpusLoadMs] = time(() => loadCorpusDocuments());
  const [train, tokenizeTrainMs] = time(() => corpusTokenStreams());
  const heldOut = corpusTokenStreams({ split: 'heldout' });
  log(
    `corpus: ${docs.length} documents in ${corpusLoadMs.toFixed(0)} ms; ${total(train)} training tokens in ${tokenizeTrainMs.toFixed(0)} ms`,
  );

  const orders = [];
  for (const order of ORDERS) {
    const [model, trainMs] = time(() => trainKneserNey(train, { order, vocabSize: V }));
    const [ppl, pplMs] = time(() => perplexity(model, heldOut));
    const latency = nextLogitsLatency(model, heldOut);
    const row = {
      order,
      trainMs: Math.round(trainMs),
      ngrams: model.ngramCounts(),
      heldOutPerplexity: round(ppl, 2),
      probabilityMicrosPerToken: round((pplMs * 1000) / total(heldOut), 2),
      nextLogitsMicros: latency,
      sampleNextMicros: sampleLatency(model, heldOut),
    };
    log(JSON.stringify(row));
    orders.push(row);
  }

  // The user-facing path at the default order: train from text (tokenization included),
  // write the cache, then load it.
  const cacheDir = await mkdtemp(join(tmpdir(), 'radiomark-bench-'));
  try {
    const [, coldMs] = await timeAsync(() => loadOrTrainReferenceModel({ order: 4, cacheDir }));
    const path = referenceModelCachePath({ order: 4, cacheDir });
    const cacheBytes = (await stat(path)).size;
    const loads = [];
    for (let i = 0; i < 3; i++) loads.push((await timeAsync(() => loadOrTrainReferenceModel({ order: 4, cacheDir })))[1]);
    const cache = {
      order: 4,
      coldTrainIncludingTokenizationMs: Math.round(coldMs),
      cacheMegabytes: round(cacheBytes / 1e6, 1),
      cacheLoadMs: Math.round(Math.min(...loads)),
    };
    log(JSON.stringify(cache));
    const result = {
      machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model },
      vocabSize: V,
      corpus: {
        documents: docs.length,
        heldOutDocuments: docs.filter((d) => d.split === 'heldout').length,
        trainTokens: total(train),
        heldOutTokens: total(heldOut),
        loadMs: Math.round(corpusLoadMs),
        tokenizerInitMs: Math.round(tokenizerInitMs),
        tokenizeTrainMs: Math.round(tokenizeTrainMs),
      },
      orders,
      cache,
    };
    const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'model.json');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${out}`);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

await main();
