// Reading ONNX suspects through onnxruntime-node: the tiny cl100k fixtures of
// benchmarks/students/make_fixture.py (random weights, context 64, full 100,277-logit rows)
// against the PyTorch reference logits stored beside them.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSuspectModel } from '../../../src/node/suspects/load-suspect.js';
import { openOnnxForward } from '../../../src/node/suspects/onnx-suspect.js';
import { loadSuspectTokenizer } from '../../../src/node/suspects/suspect-tokenizers.js';
import { expectErrorCode } from '../../helpers/error-code.js';
import { TINY_TOKENIZER_SIZE, tinyTokenizerJson } from '../../helpers/tiny-tokenizer-json.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'onnx');
const dir = mkdtempSync(join(tmpdir(), 'radiomark-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ReferenceCase {
  name: string;
  input_ids: number[][];
  attention_mask?: number[][];
  logits: number[][][];
  argmax: number[][];
  max: number[][];
  logsumexp: number[][];
}
interface Reference {
  vocabSize: number;
  tolerance: number;
  checkIds: number[];
  cases: ReferenceCase[];
}

for (const name of ['tiny-cl100k', 'tiny-cl100k-ids-only']) {
  describe(`ONNX suspect ${name}`, () => {
    const onnx = join(FIXTURES, `${name}.onnx`);
    const ref = JSON.parse(readFileSync(join(FIXTURES, `${name}.reference.json`), 'utf8')) as Reference;
    // Our reader pads on the right and never masks real tokens: the left-padding case does not apply.
    const cases = ref.cases.filter((c) => !c.attention_mask?.some((row) => row.includes(0)));

    it('gives the PyTorch logits within 1e-4 (raw forward passes, batched)', async () => {
      const model = await openOnnxForward(onnx, 1);
      expect(model.vocabSize).toBe(ref.vocabSize);
      let worst = 0;
      for (const c of cases) {
        const length = c.input_ids[0]!.length;
        const logits = await model.forward(
          c.input_ids.map((r) => Uint32Array.from(r)),
          length,
        );
        c.input_ids.forEach((_, b) =>
          c.logits[b]!.forEach((row, j) =>
            ref.checkIds.forEach((id, i) => {
              worst = Math.max(worst, Math.abs(logits[(b * length + j) * ref.vocabSize + id]! - row[i]!));
            }),
          ),
        );
      }
      await model.close();
      expect(worst).toBeLessThan(1e-4);
    });

    it('reads top-k distributions that agree with the reference (top-1 id and log-probability)', async () => {
      const suspect = await loadSuspectModel(onnx, { providerTokenizer: 'o200k_base' }); // tokenizer and context from the sidecar
      expect(suspect.tokenizer.name).toBe('cl100k_base');
      expect(suspect.contextLength).toBe(64);
      let worst = 0;
      for (const c of cases)
        for (const [b, row] of c.input_ids.entries()) {
          const positions = Uint32Array.from({ length: row.length }, (_, j) => j + 1);
          const rows = await suspect.predict(Uint32Array.from(row), positions, 4);
          positions.forEach((_, j) => {
            expect(rows.tokens[j * 4]).toBe(c.argmax[b]![j]);
            worst = Math.max(worst, Math.abs(Math.log(rows.probs[j * 4]!) - (c.max[b]![j]! - c.logsumexp[b]![j]!)));
          });
        }
      await suspect.close!();
      expect(worst).toBeLessThan(1e-4);
    });
  });
}

describe('ONNX suspect: long texts in overlapping windows', () => {
  it('each position reads exactly its window of context, whatever the batching', async () => {
    const onnx = join(FIXTURES, 'tiny-cl100k.onnx');
    const raw = await openOnnxForward(onnx, 1);
    const tokenizer = await loadSuspectTokenizer('cl100k_base');
    const { loadOnnxSuspect } = await import('../../../src/node/suspects/onnx-suspect.js');
    const suspect = await loadOnnxSuspect(onnx, { tokenizer, contextLength: 64, overlap: 16, batchSize: 3, threads: 1 });
    const ids = Uint32Array.from({ length: 200 }, (_, i) => (i * 7919) % 2000);
    const positions = Uint32Array.from({ length: 200 }, (_, i) => i + 1);
    const rows = await suspect.predict(ids, positions, 1);
    let worst = 0;
    for (const j of [1, 40, 64, 65, 96, 112, 113, 150, 199, 200]) {
      // Window of j: the first one (start 48 m) that reaches j.
      const start = j <= 64 ? 0 : Math.ceil((j - 64) / 48) * 48;
      expect(j - start).toBeGreaterThanOrEqual(Math.min(j, 17));
      const logits = await raw.forward([ids.subarray(start, j)], j - start);
      const row = logits.subarray((j - start - 1) * raw.vocabSize, (j - start) * raw.vocabSize);
      let max = -Infinity;
      let arg = 0;
      row.forEach((x, v) => {
        if (x > max) [max, arg] = [x, v];
      });
      const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
      expect(rows.tokens[j - 1]).toBe(arg);
      worst = Math.max(worst, Math.abs(Math.log(rows.probs[j - 1]!) - (max - lse)));
    }
    expect(worst).toBeLessThan(1e-5);
    await raw.close();
    await suspect.close!();
  });
});

describe('ONNX suspect: bad models and tokenizers are one-line errors', () => {
  const onnx = join(FIXTURES, 'tiny-cl100k.onnx');
  const open = (path: string, modelTokenizer?: string) => loadSuspectModel(path, { providerTokenizer: 'o200k_base', modelTokenizer });

  it('missing, corrupt, mismatched, or without a tokenizer', async () => {
    await expectErrorCode(open(join(dir, 'nope.onnx'), 'cl100k_base'), 'INPUT_FORMAT');
    writeFileSync(join(dir, 'corrupt.onnx'), 'not a protobuf at all');
    await expectErrorCode(open(join(dir, 'corrupt.onnx'), 'cl100k_base'), 'INPUT_FORMAT');
    await expectErrorCode(open(onnx, 'r50k_base'), 'VOCAB_MISMATCH');
    copyFileSync(onnx, join(dir, 'bare.onnx'));
    await expectErrorCode(open(join(dir, 'bare.onnx')), 'INVALID_ARGUMENT'); // no sidecar: --model-tokenizer needed
    await expectErrorCode(open(onnx, 'no_such_encoding'), 'TOKENIZER');
  });

  it('model folder in the transformers.js layout (config.json, tokenizer.json, onnx/model.onnx)', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(join(folder, 'onnx'), { recursive: true });
    copyFileSync(onnx, join(folder, 'onnx', 'model.onnx'));
    writeFileSync(join(folder, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_positions: 64 }));
    writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson()));
    // Its tokenizer.json has 262 ids, the model 100,277 logits: refused.
    await expectErrorCode(open(folder), 'VOCAB_MISMATCH');
    const suspect = await open(folder, 'cl100k_base');
    expect(suspect.contextLength).toBe(64);
    await suspect.close!();
    writeFileSync(join(folder, 'config.json'), '{ broken');
    await expectErrorCode(open(folder, 'cl100k_base'), 'INPUT_FORMAT');
  });

  it('tokenizer.json through transformers.js: encode and token texts', async () => {
    const path = join(dir, 'tokenizer.json');
    writeFileSync(path, JSON.stringify(tinyTokenizerJson()));
    const tok = await loadSuspectTokenizer(path);
    expect(tok.vocabSize).toBe(TINY_TOKENIZER_SIZE);
    const ids = tok.encode('the cat in the hat');
    expect(Array.from(ids, (id) => tok.tokenText(id)).join('')).toBe('the cat in the hat');
    expect(Array.from(ids, (id) => tok.tokenText(id))).toContain(' the'); // a token keeps its leading space
    expect(tok.tokenText(TINY_TOKENIZER_SIZE - 1)).toBeUndefined(); // special
    expect(tok.tokenText(0xc3)).toBeUndefined(); // a lone UTF-8 lead byte
    writeFileSync(join(dir, 'bad.json'), '{"model": 3}');
    await expectErrorCode(loadSuspectTokenizer(join(dir, 'bad.json')), 'TOKENIZER');
  });
});
