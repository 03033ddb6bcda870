// `radiomark radioactivity --open TEXTS --model PATH`: an ONNX suspect with another tokenizer
// than the key's (the tiny cl100k fixture; o200k key), an .rmkn suspect, and the one-line
// errors for bad models.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/key/key.js';
import { getTokenizer } from '../../src/key/tokenizer.js';
import { serializeModel } from '../../src/model/model-format.js';
import { trainKneserNey } from '../../src/model/train-kneser-ney.js';
import { saveKey } from '../../src/node/key-store.js';
import { expectOneLineError, runCli } from '../helpers/run-cli.js';
import { humanParagraphs } from '../helpers/human-text.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-open-'));
const keyPath = join(dir, 'k.json');
const texts = join(dir, 'texts.jsonl');
const onnx = join(import.meta.dirname, '..', 'fixtures', 'onnx', 'tiny-cl100k.onnx');
const cli = (...args: string[]) => runCli(['radioactivity', '--key', keyPath, '--open', texts, '--controls', '5', ...args]);

beforeAll(async () => {
  await saveKey(generateKey({ window: 2 }), keyPath);
  const paras = humanParagraphs(600);
  writeFileSync(texts, JSON.stringify({ text: paras[0]!.slice(0, 600) }) + '\n');
  const o200k = getTokenizer('o200k_base');
  const model = trainKneserNey(
    paras.slice(10, 30).map((p) => o200k.encode(p)),
    { order: 2, vocabSize: o200k.vocabSize },
  );
  writeFileSync(join(dir, 'm.rmkn'), serializeModel(model, { tokenizer: 'o200k_base', corpusHash: 'test', trainerVersion: 1 }));
  copyFileSync(onnx, join(dir, 'bare.onnx'));
  writeFileSync(join(dir, 'corrupt.onnx'), 'garbage');
});

describe('radiomark radioactivity --open with real-format suspects', () => {
  it('reads an ONNX model with another tokenizer (same JSON fields as the n-gram path)', { timeout: 120_000 }, () => {
    const r = cli('--model', join(dir, 'bare.onnx'), '--model-tokenizer', 'cl100k_base', '--model-context', '64', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    const n = cli('--model', join(dir, 'm.rmkn'), '--json');
    expect(n.code).toBe(0);
    const ngram = JSON.parse(n.out);
    expect(Object.keys(report).sort()).toEqual(Object.keys(ngram).sort());
    expect(report.scored).toBeGreaterThan(80);
    expect(report.notes.join(' ')).toMatch(/tokenizer cl100k_base, context 64\): read in its own tokens/);
    expect(ngram.notes.join(' ')).toMatch(/same tokenizer as the key/);
  });

  it('bad models are one-line errors with exit 2', { timeout: 120_000 }, () => {
    expectOneLineError(cli('--model', join(dir, 'missing.onnx'), '--model-tokenizer', 'cl100k_base'), /cannot read model .*no such file/);
    expectOneLineError(cli('--model', join(dir, 'corrupt.onnx'), '--model-tokenizer', 'cl100k_base'), /not a loadable ONNX model/);
    expectOneLineError(
      cli('--model', join(dir, 'bare.onnx'), '--model-tokenizer', 'r50k_base', '--model-context', '64'),
      /64|100277 logits.*r50k_base/,
    );
    expectOneLineError(cli('--model', join(dir, 'bare.onnx')), /--model-tokenizer/);
  });
});
