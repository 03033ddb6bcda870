// radiomark serve with a GGUF model through node-llama-cpp's real llama.cpp engine (a tiny
// random-weight Llama written by the test): answers over the wire, and the generated llama.cpp
// ids carry the key's watermark and the caller's account id.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWatermark } from '../../src/index.js';
import { ApiKeys, sha256Hex } from '../../src/serve/api-keys.js';
import { openGgufServeModel } from '../../src/serve/gguf-serve-model.js';
import type { ServeModel } from '../../src/serve/serve-model.js';
import { createServeApp } from '../../src/serve/server.js';
import { WatermarkPool } from '../../src/serve/watermark-pool.js';
import { fixedKey } from '../helpers/fixed-key.js';
import { TINY_VOCAB, writeTinyLlama } from '../helpers/tiny-gguf.js';

const key = fixedKey(1819);
const ACCOUNT = 90_210;
let dir: string;
let model: ServeModel;
let app: ReturnType<typeof createServeApp>;
let baseURL: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'radiomark-serve-gguf-'));
  writeTinyLlama(join(dir, 'tiny.gguf'));
  model = await openGgufServeModel(join(dir, 'tiny.gguf'), { sequences: 2 });
  const apiKeys = ApiKeys.fromEntries([{ account: ACCOUNT, apiKeySha256: sha256Hex('sk-gguf') }]);
  app = createServeApp({ model, apiKeys, watermarks: new WatermarkPool(key, model.vocabSize), ledger: null, limits: { concurrency: 2 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await model?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('radiomark serve --model tiny.gguf', () => {
  it('answers plain and streamed requests named after the file', async () => {
    const client = new OpenAI({ apiKey: 'sk-gguf', baseURL, maxRetries: 0 });
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(['tiny']);
    const r = await client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 40, seed: 3 });
    expect(r.usage?.completion_tokens).toBe(40);
    expect(r.choices[0]!.finish_reason).toBe('length');
    const stream = await client.completions.create({ model: 'tiny', prompt: 'The river', max_tokens: 30, seed: 3, stream: true });
    let chunks = 0;
    for await (const c of stream) chunks += c.choices.length;
    expect(chunks).toBeGreaterThan(1);
  });

  it('the generated ids carry the watermark and the account id; unwatermarked ids do not', async () => {
    expect(model.vocabSize).toBe(TINY_VOCAB);
    const wm = createWatermark(key, { vocabSize: TINY_VOCAB });
    const generate = async (watermark: ReturnType<WatermarkPool['get']> | null) => {
      const ids: number[] = [];
      const request = {
        promptIds: model.encode('User: The river\nAssistant:'),
        maxTokens: 400,
        temperature: 1,
        topP: 1,
        seed: 5,
        watermark,
      };
      for await (const piece of model.generate(request)) if (piece.id !== undefined) ids.push(piece.id);
      return ids;
    };
    const marked = await generate(new WatermarkPool(key, TINY_VOCAB).get(ACCOUNT));
    expect(marked).toHaveLength(400);
    expect(wm.detect(marked).log10PValue).toBeLessThan(-6);
    expect(wm.decodeAccount(marked).account).toBe(ACCOUNT);
    expect(wm.detect(await generate(null)).log10PValue).toBeGreaterThan(-6);
  });
});
