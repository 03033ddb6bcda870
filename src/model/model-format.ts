import { RadiomarkError } from '../base/errors.js';
import { crc32 } from '../base/crc32.js';
import { KneserNeyModel } from './kneser-ney-model.js';
import type { KneserNeyLevel, KneserNeyTables } from './kneser-ney-tables.js';

/**
 * Binary file format of a Kneser-Ney model (little-endian):
 *
 * | offset | content |
 * |---|---|
 * | 0 | magic `RMKN` |
 * | 4 | u32 format version ({@link MODEL_FORMAT_VERSION}) |
 * | 8 | u32 byte length H of the JSON header |
 * | 12 | JSON header (UTF-8), zero-padded to a multiple of 4 bytes |
 * | 12 + pad4(H) | per level: key, childStart, succStart, backoff, succWord, succProb (u32 / f32) |
 * | end - 4 | u32 CRC-32 of every byte before it |
 *
 * The arrays are 4-byte aligned so a loaded file is used in place, without copying.
 *
 * @example
 * ```ts
 * if (readModelInfo(bytes).formatVersion !== MODEL_FORMAT_VERSION) retrain();
 * ```
 */
export const MODEL_FORMAT_VERSION = 1;

const MAGIC = [0x52, 0x4d, 0x4b, 0x4e]; // "RMKN"
const PREFIX_BYTES = 12;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Where a model came from; stored in the file and compared by caches.
 *
 * @example
 * ```ts
 * const provenance: ModelProvenance = {
 *   tokenizer: 'o200k_base',
 *   corpusHash: corpusConfigHash(),
 *   trainerVersion: KNESER_NEY_TRAINER_VERSION,
 * };
 * ```
 */
export interface ModelProvenance {
  /** Tokenizer whose ids the model predicts, e.g. `o200k_base`. */
  readonly tokenizer: string;
  /** Digest of the training text configuration (see `corpusConfigHash`). */
  readonly corpusHash: string;
  /** Training algorithm version (see `KNESER_NEY_TRAINER_VERSION`). */
  readonly trainerVersion: number;
}

/**
 * The header of a model file.
 *
 * @example
 * ```ts
 * const { order, corpusHash }: ModelFileInfo = readModelInfo(bytes);
 * ```
 */
export interface ModelFileInfo extends ModelProvenance {
  readonly formatVersion: number;
  readonly order: number;
  readonly vocabSize: number;
}

interface HeaderJson extends ModelProvenance {
  order: number;
  vocabSize: number;
  discounts: number[];
  levels: { contexts: number; successors: number }[];
}

/**
 * Encodes a model and its provenance as bytes (deterministic: the same model gives the
 * same bytes).
 *
 * @example
 * ```ts
 * const bytes = serializeModel(model, { tokenizer: 'o200k_base', corpusHash: 'test', trainerVersion: 1 });
 * ```
 */
export function serializeModel(model: KneserNeyModel, provenance: ModelProvenance): Uint8Array {
  requireLittleEndian();
  const { order, vocabSize, discounts, levels } = model.tables;
  const header: HeaderJson = {
    tokenizer: provenance.tokenizer,
    corpusHash: provenance.corpusHash,
    trainerVersion: provenance.trainerVersion,
    order,
    vocabSize,
    discounts: Array.from(discounts),
    levels: levels.map((l) => ({ contexts: l.key.length, successors: l.succWord.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const arrays = levels.flatMap(levelArrays);
  const payloadStart = PREFIX_BYTES + pad4(json.length);
  const total = payloadStart + arrays.reduce((sum, a) => sum + a.byteLength, 0) + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, MODEL_FORMAT_VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, PREFIX_BYTES);
  let at = payloadStart;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  view.setUint32(at, crc32(bytes.subarray(0, at)), true);
  return bytes;
}

/**
 * Reads the header of model bytes without verifying the payload: a cheap check of
 * whether a file is the model one wants. Throws `MODEL` on a malformed header.
 *
 * @example
 * ```ts
 * readModelInfo(bytes).order; // 4
 * ```
 */
export function readModelInfo(bytes: Uint8Array): ModelFileInfo {
  const { header, version } = parseHeader(bytes);
  return {
    formatVersion: version,
    order: header.order,
    vocabSize: header.vocabSize,
    tokenizer: header.tokenizer,
    corpusHash: header.corpusHash,
    trainerVersion: header.trainerVersion,
  };
}

/**
 * Decodes bytes made by {@link serializeModel}. A wrong magic, another format version, a
 * truncated or extended file, a checksum mismatch or inconsistent tables throw a `MODEL`
 * error: a damaged file is never half-used. The model's arrays are views on `bytes` when it
 * is 4-byte aligned.
 *
 * @example
 * ```ts
 * const { model, info } = deserializeModel(await readFile(path));
 * ```
 */
export function deserializeModel(bytes: Uint8Array): { model: KneserNeyModel; info: ModelFileInfo } {
  requireLittleEndian();
  const { header, version, payloadStart } = parseHeader(bytes);
  const sizes = header.levels.map((l, j) => levelSizes(l, j === header.levels.length - 1));
  const expected = payloadStart + 4 * sizes.flat().reduce((a, b) => a + b, 0) + 4;
  if (bytes.length !== expected) {
    throw modelError(`model file has ${bytes.length} bytes, expected ${expected} (truncated or damaged)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (crc32(bytes.subarray(0, expected - 4)) !== view.getUint32(expected - 4, true)) {
    throw modelError('model file checksum mismatch (damaged)');
  }
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  let at = aligned.byteOffset + payloadStart;
  const take = <T>(Type: { new (b: ArrayBuffer, o: number, n: number): T }, n: number): T => {
    const array = new Type(aligned.buffer as ArrayBuffer, at, n);
    at += 4 * n;
    return array;
  };
  const levels: KneserNeyLevel[] = sizes.map(([contexts, children, starts, , successors]) => ({
    key: take(Uint32Array, contexts),
    childStart: take(Uint32Array, children),
    succStart: take(Uint32Array, starts),
    backoff: take(Float32Array, contexts),
    succWord: take(Uint32Array, successors),
    succProb: take(Float32Array, successors),
  }));
  const tables: KneserNeyTables = {
    order: header.order,
    vocabSize: header.vocabSize,
    discounts: Float64Array.from(header.discounts),
    levels,
  };
  checkLinks(tables);
  const info: ModelFileInfo = {
    formatVersion: version,
    order: header.order,
    vocabSize: header.vocabSize,
    tokenizer: header.tokenizer,
    corpusHash: header.corpusHash,
    trainerVersion: header.trainerVersion,
  };
  return { model: new KneserNeyModel(tables), info };
}

function levelArrays(l: KneserNeyLevel): ArrayBufferView[] {
  return [l.key, l.childStart, l.succStart, l.backoff, l.succWord, l.succProb];
}

/** Element counts of a level's arrays, in file order. */
type LevelSizes = [number, number, number, number, number, number];

function levelSizes(l: { contexts: number; successors: number }, last: boolean): LevelSizes {
  return [l.contexts, last ? 0 : l.contexts + 1, l.contexts + 1, l.contexts, l.successors, l.successors];
}

function parseHeader(bytes: Uint8Array): { header: HeaderJson; version: number; payloadStart: number } {
  if (bytes.length < PREFIX_BYTES + 4 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw modelError('not a radiomark model file (bad magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== MODEL_FORMAT_VERSION) {
    throw modelError(`model file format version ${version} is not supported (expected ${MODEL_FORMAT_VERSION})`);
  }
  const length = view.getUint32(8, true);
  if (length > bytes.length - PREFIX_BYTES - 4) throw modelError('model file header is truncated');
  let header: HeaderJson;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + length)));
  } catch {
    throw modelError('model file header is not valid JSON');
  }
  if (!validHeader(header)) throw modelError('model file header has missing or invalid fields');
  return { header, version, payloadStart: PREFIX_BYTES + pad4(length) };
}

function validHeader(h: HeaderJson): boolean {
  const count = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 0 && (n as number) < 2 ** 31;
  return (
    typeof h === 'object' &&
    h !== null &&
    typeof h.tokenizer === 'string' &&
    typeof h.corpusHash === 'string' &&
    count(h.trainerVersion) &&
    count(h.order) &&
    h.order >= 1 &&
    count(h.vocabSize) &&
    Array.isArray(h.discounts) &&
    h.discounts.length === 3 * h.order &&
    h.discounts.every((d) => typeof d === 'number') &&
    Array.isArray(h.levels) &&
    h.levels.length === h.order &&
    h.levels.every((l) => typeof l === 'object' && l !== null && count(l.contexts) && count(l.successors))
  );
}

/** Cheap structural check of the trie's boundary entries (the checksum covers the rest). */
function checkLinks({ levels }: KneserNeyTables): void {
  levels.forEach((l, j) => {
    const contexts = l.key.length;
    const next = levels[j + 1];
    const ok =
      (j > 0 || contexts === 1) &&
      l.succStart[0] === 0 &&
      l.succStart[contexts] === l.succWord.length &&
      (!next || (l.childStart[0] === 0 && l.childStart[contexts] === next.key.length));
    if (!ok) throw modelError(`model file level ${j} is inconsistent`);
  });
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function requireLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new RadiomarkError('UNSUPPORTED', 'model files need a little-endian platform');
}

function modelError(message: string): RadiomarkError {
  return new RadiomarkError('MODEL', message);
}
