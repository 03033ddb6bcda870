// Reading a GGUF suspect through node-llama-cpp's real llama.cpp: a tiny random-weight Llama
// written by the test (tiny-gguf.ts), checked against a direct evaluation of the same weights
// in plain JS (tiny-llama-reference.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGgufSuspect } from '../../../src/node/suspects/gguf-suspect.js';
import { loadSuspectModel } from '../../../src/node/suspects/load-suspect.js';
import { expectErrorCode } from '../../helpers/error-code.js';
import { TINY_EOS, TINY_VOCAB, writeTinyLlama } from '../../helpers/tiny-gguf.js';
import { tinyLlamaLogits } from '../../helpers/tiny-llama-reference.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'tiny.gguf');
const weights = writeTinyLlama(path, 5);

describe('GGUF suspect (node-llama-cpp)', () => {
  it('gives the next-token log-probabilities of a direct evaluation within 1e-4, window by window', async () => {
    const suspect = await loadGgufSuspect(path, { contextLength: 32, overlap: 8, threads: 1 });
    expect(suspect.vocabSize).toBe(TINY_VOCAB);
    const text = 'Call me Ishmael. Some years ago, never mind how long precisely, having little money in my purse.';
    const ids = suspect.tokenizer.encode(text);
    expect(ids.length).toBe(text.length); // byte-level vocabulary, no merges
    const positions = Uint32Array.from({ length: ids.length }, (_, i) => i + 1);
    const K = 40;
    const rows = await suspect.predict(ids, positions, K);
    let worst = 0;
    for (const j of [1, 2, 17, 32, 33, 40, 56, 57, 80, ids.length]) {
      const start = j <= 32 ? 0 : Math.ceil((j - 32) / 24) * 24;
      const logits = tinyLlamaLogits(weights, Array.from(ids.subarray(start, j))).at(-1)!;
      const max = Math.max(...logits);
      const lse = max + Math.log(logits.reduce((s, x) => s + Math.exp(x - max), 0));
      const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]!);
      expect(rows.counts[j - 1]).toBe(K);
      expect(rows.tokens[(j - 1) * K]).toBe(order[0]);
      for (let r = 0; r < K; r++) {
        const v = rows.tokens[(j - 1) * K + r]!;
        worst = Math.max(worst, Math.abs(Math.log(rows.probs[(j - 1) * K + r]!) - (logits[v]! - lse)));
      }
    }
    expect(worst).toBeLessThan(1e-4);
    expect(suspect.tokenizer.tokenText(' '.charCodeAt(0))).toBe(' ');
    expect(suspect.tokenizer.tokenText(TINY_EOS)).toBeUndefined();
    await suspect.close!();
  });

  it('missing and corrupt GGUF files are one-line errors', async () => {
    const open = (p: string) => loadSuspectModel(p, { providerTokenizer: 'o200k_base' });
    await expectErrorCode(open(join(dir, 'missing.gguf')), 'INPUT_FORMAT');
    writeFileSync(join(dir, 'corrupt.gguf'), 'GGUF but not really');
    await expectErrorCode(open(join(dir, 'corrupt.gguf')), 'INPUT_FORMAT');
  });
});
