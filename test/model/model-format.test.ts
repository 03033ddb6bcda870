import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/base/crc32.js';
import { MODEL_FORMAT_VERSION, deserializeModel, readModelInfo, serializeModel } from '../../src/model/model-format.js';
import { trainKneserNey } from '../../src/model/train-kneser-ney.js';
import { errorCode } from '../helpers/error-code.js';

const V = 300;
const docs = Array.from({ length: 20 }, (_, d) => Uint32Array.from({ length: 300 }, (_, i) => ((i * i + d * 7) ^ (i >> 2)) % V));
const model = trainKneserNey(docs, { order: 4, vocabSize: V });
const provenance = { tokenizer: 'o200k_base', corpusHash: 'abc123', trainerVersion: 1 };
const bytes = serializeModel(model, provenance);

describe('crc32', () => {
  it('matches the check value and zlib on every length and alignment', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 131 + 7) & 255);
    for (const [from, to] of [
      [0, 1000],
      [1, 1000],
      [3, 17],
      [4, 12],
      [5, 5],
      [8, 999],
    ]) {
      expect(crc32(data.subarray(from, to))).toBe(zlibCrc32(data.subarray(from, to)));
    }
  });
});

describe('model format', () => {
  it('round-trips a model exactly and deterministically', () => {
    const { model: back, info } = deserializeModel(bytes);
    expect(info).toEqual({ formatVersion: MODEL_FORMAT_VERSION, order: 4, vocabSize: V, ...provenance });
    expect(readModelInfo(bytes)).toEqual(info);
    expect(back.tables.discounts).toEqual(model.tables.discounts);
    for (const ctx of [[], [5], [1, 2, 3], [17, 42, 99], docs[3]!.subarray(10, 13)]) {
      expect(back.nextLogits(ctx)).toEqual(model.nextLogits(ctx));
      expect(back.probability(ctx, 7)).toBe(model.probability(ctx, 7));
    }
    expect(Buffer.from(serializeModel(back, provenance)).equals(bytes)).toBe(true);
  });

  it('reads a buffer that is not 4-byte aligned', () => {
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const { model: back } = deserializeModel(shifted.subarray(1));
    expect(back.probability([1, 2], 3)).toBe(model.probability([1, 2], 3));
  });

  it('detects a corrupted byte anywhere in the file', () => {
    const positions = [0, 5, 9, 14, 40, bytes.length >> 1, bytes.length - 9, bytes.length - 1];
    for (const at of positions) {
      const bad = bytes.slice();
      bad[at]! ^= 0x20;
      expect(
        errorCode(() => deserializeModel(bad)),
        `byte ${at}`,
      ).toBe('MODEL');
    }
  });

  it('detects truncated, extended and foreign files', () => {
    expect(errorCode(() => deserializeModel(bytes.subarray(0, bytes.length - 1)))).toBe('MODEL');
    expect(errorCode(() => deserializeModel(bytes.subarray(0, 10)))).toBe('MODEL');
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(errorCode(() => deserializeModel(longer))).toBe('MODEL');
    expect(errorCode(() => deserializeModel(new TextEncoder().encode('{"order": 4}')))).toBe('MODEL');
  });

  it('refuses another format version', () => {
    const other = bytes.slice();
    new DataView(other.buffer).setUint32(4, MODEL_FORMAT_VERSION + 1, true);
    expect(errorCode(() => deserializeModel(other))).toBe('MODEL');
    expect(errorCode(() => readModelInfo(other))).toBe('MODEL');
  });
});
