import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelInfo, serializeModel } from '../../src/model/model-format.js';
import { KNESER_NEY_TRAINER_VERSION, trainKneserNey } from '../../src/model/train-kneser-ney.js';
import { corpusConfigHash } from '../../src/node/corpora.js';
import {
  defaultCacheDir,
  loadOrTrainReferenceModel,
  referenceModelCachePath,
  type ReferenceModelOptions,
  type ReferenceModelProgress,
} from '../../src/node/model-cache.js';

describe('loadOrTrainReferenceModel', () => {
  let cacheDir: string;
  let options: ReferenceModelOptions;
  let path: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'radiomark-cache-'));
    // A small corpus and order keep this fast; the code path is the same as the default.
    options = { order: 2, corpora: ['moby-dick'], cacheDir: join(cacheDir, 'nested', 'dir') };
    path = referenceModelCachePath(options);
  });
  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  async function load(extra: Partial<ReferenceModelOptions> = {}) {
    const stages: ReferenceModelProgress['stage'][] = [];
    const model = await loadOrTrainReferenceModel({ ...options, ...extra, onProgress: (e) => stages.push(e.stage) });
    return { model, stages };
  }

  it('trains and caches on first use, then loads the cache', async () => {
    const first = await load();
    expect(first.stages).toEqual(['cache-miss', 'tokenizing', 'training', 'cache-written']);
    expect(readModelInfo(await readFile(path))).toMatchObject({
      order: 2,
      tokenizer: 'o200k_base',
      vocabSize: 200_019,
      corpusHash: corpusConfigHash({ corpora: ['moby-dick'] }),
      trainerVersion: KNESER_NEY_TRAINER_VERSION,
    });
    const second = await load();
    expect(second.stages).toEqual(['cache-hit']);
    const a = Buffer.from(first.model.nextLogits([464, 4410]).buffer);
    const b = Buffer.from(second.model.nextLogits([464, 4410]).buffer);
    expect(a.equals(b)).toBe(true); // byte comparison: deep equality of 200k floats is slow
    expect(await readdir(join(cacheDir, 'nested', 'dir'))).toEqual([path.split('/').pop()]);
  });

  it('rebuilds a cache file with one corrupted byte instead of using it', async () => {
    const good = await readFile(path);
    const bad = Uint8Array.from(good);
    bad[bad.length >> 1]! ^= 0x01;
    await writeFile(path, bad);
    expect((await load()).stages).toEqual(['cache-invalid', 'tokenizing', 'training', 'cache-written']);
    expect(Buffer.compare(await readFile(path), good)).toBe(0);
    expect((await load()).stages).toEqual(['cache-hit']);
  });

  it('rebuilds truncated, foreign and stale cache files', async () => {
    const good = await readFile(path);
    const stale = serializeModel(trainKneserNey([[1, 2, 3]], { order: 2, vocabSize: 200_019 }), {
      tokenizer: 'o200k_base',
      corpusHash: 'some-other-corpus',
      trainerVersion: KNESER_NEY_TRAINER_VERSION,
    });
    const oldTrainer = serializeModel(trainKneserNey([[1, 2, 3]], { order: 2, vocabSize: 200_019 }), {
      tokenizer: 'o200k_base',
      corpusHash: corpusConfigHash({ corpora: ['moby-dick'] }),
      trainerVersion: KNESER_NEY_TRAINER_VERSION + 1,
    });
    for (const content of [good.subarray(0, good.length - 100), Buffer.from('not a model'), stale, oldTrainer]) {
      await writeFile(path, content);
      expect((await load()).stages[0]).toBe('cache-invalid');
      expect(Buffer.compare(await readFile(path), good)).toBe(0);
    }
  });

  it('retrains when asked to rebuild', async () => {
    expect((await load({ rebuild: true })).stages).toEqual(['tokenizing', 'training', 'cache-written']);
  });

  it('still returns a model when the cache cannot be written', async () => {
    const blocker = join(cacheDir, 'a-file');
    await writeFile(blocker, 'x');
    const { model, stages } = await load({ cacheDir: join(blocker, 'sub') });
    expect(stages.at(-1)).toBe('cache-write-failed');
    expect(model.vocabSize).toBe(200_019);
  });

  it('uses $XDG_CACHE_HOME when it is an absolute path', () => {
    const saved = process.env.XDG_CACHE_HOME;
    try {
      process.env.XDG_CACHE_HOME = '/tmp/xdg-test';
      expect(defaultCacheDir()).toBe('/tmp/xdg-test/radiomark');
      process.env.XDG_CACHE_HOME = 'relative/path';
      expect(defaultCacheDir()).toMatch(/\.cache\/radiomark$/);
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });
});
