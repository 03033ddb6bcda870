// radiomark serve, in process on 127.0.0.1, driven by the official openai client: plain and
// streamed answers are watermarked under the key and decode to the caller's account; auth,
// malformed requests and limits answer in the OpenAI error format; the ledger holds every answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWatermark, getTokenizer } from '../../src/index.js';
import { loadOrTrainReferenceModel } from '../../src/node/model-cache.js';
import { ApiKeys, sha256Hex } from '../../src/serve/api-keys.js';
import { referenceServeModel } from '../../src/serve/reference-serve-model.js';
import { ServedLedger } from '../../src/serve/served-ledger.js';
import { createServeApp } from '../../src/serve/server.js';
import { WatermarkPool } from '../../src/serve/watermark-pool.js';
import { loadAccountLedger } from '../../src/node/ledger-files.js';
import { fixedKey } from '../helpers/fixed-key.js';

const key = fixedKey(18);
const ALICE = { account: 40_213, apiKey: 'sk-test-alice-0123456789' };
const BOB = { account: 3_000_000_007, apiKey: 'sk-test-bob-9876543210' };
const tok = getTokenizer('o200k_base');
const wm = createWatermark(key);

let dir: string;
let ledger: ServedLedger;
let app: Awaited<ReturnType<typeof createServeApp>>;
let baseURL: string;
const client = (apiKey: string) => new OpenAI({ apiKey, baseURL, maxRetries: 0 });
const post = (path: string, body: string, apiKey = ALICE.apiKey, type = 'application/json') =>
  fetch(`${baseURL}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': type }, body });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'radiomark-serve-'));
  const model = referenceServeModel(await loadOrTrainReferenceModel(), 'o200k_base');
  const apiKeys = ApiKeys.fromEntries([ALICE, BOB].map((a) => ({ account: a.account, apiKeySha256: sha256Hex(a.apiKey) })));
  ledger = await ServedLedger.open(join(dir, 'owners.rmowners'), { window: key.params.window, tokenizer: 'o200k_base' });
  app = createServeApp({
    model,
    apiKeys,
    watermarks: new WatermarkPool(key, model.vocabSize),
    ledger,
    limits: { maxTokensCap: 1000, bodyLimit: 4096 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
});

afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('radiomark serve with the openai client', () => {
  it('lists the model', async () => {
    const models = await client(ALICE.apiKey).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['reference']);
  });

  it('plain chat completion: watermarked, carries the caller account, usage counts', async () => {
    const r = await client(ALICE.apiKey).chat.completions.create({
      model: 'reference',
      messages: [{ role: 'user', content: 'Tell me about the sea.' }],
      max_tokens: 400,
      seed: 1,
    });
    const text = r.choices[0]!.message.content!;
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]!.finish_reason).toBe('length');
    expect(r.usage!.completion_tokens).toBe(400);
    expect(r.usage!.prompt_tokens).toBe(tok.encode('User: Tell me about the sea.\nAssistant:').length);
    expect(wm.detect(text).log10PValue).toBeLessThan(-6);
    const decoded = wm.decodeAccount(text);
    expect(decoded.account).toBe(ALICE.account);
  });

  it('streamed chat completion: chunks, usage chunk, [DONE]; decodes to the other account', async () => {
    const stream = await client(BOB.apiKey).chat.completions.create({
      model: 'reference',
      messages: [
        { role: 'system', content: 'Be plain.' },
        { role: 'user', content: 'The ship' },
      ],
      max_tokens: 400,
      seed: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(chunks).toBeGreaterThan(50);
    expect(finish).toBe('length');
    expect(usage?.completion_tokens).toBe(400);
    expect(wm.detect(text).log10PValue).toBeLessThan(-6);
    expect(wm.decodeAccount(text).account).toBe(BOB.account);
  });

  it('text completions: the same seed gives the same text; stop sequences cut the text', async () => {
    const ask = (stop?: string) =>
      client(ALICE.apiKey).completions.create({ model: 'reference', prompt: 'The ship', max_tokens: 60, seed: 9, stop });
    const [a, b] = await Promise.all([ask(), ask()]);
    expect(a.choices[0]!.text).toBe(b.choices[0]!.text);
    const full = a.choices[0]!.text;
    const cut = full.indexOf('e', 1);
    expect(cut).toBeGreaterThan(0);
    const stopped = await ask('e');
    expect(stopped.choices[0]!.text).toBe(full.slice(0, cut));
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
  });

  it('unknown or missing API key: 401 in the OpenAI error format, key not echoed', async () => {
    await expect(
      client('sk-wrong').chat.completions.create({ model: 'reference', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({
      status: 401,
    });
    const r = await post('/chat/completions', '{}', 'sk-wrong-key-value');
    expect(r.status).toBe(401);
    const body = (await r.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(JSON.stringify(body)).not.toContain('sk-wrong-key-value');
    expect((await fetch(`${baseURL}/models`)).status).toBe(401);
  });

  it('malformed requests: 400 with a message naming the parameter', async () => {
    const cases: [string, RegExp, string | null][] = [
      ['{"model": "reference", "messages": [', /JSON/, null],
      ['[]', /JSON object/, null],
      ['{"model": "reference"}', /messages/, 'messages'],
      ['{"model": "reference", "messages": [{"role": "wizard", "content": "x"}]}', /role/, 'messages[0].role'],
      ['{"model": "reference", "messages": [{"role": "user", "content": "x"}], "max_tokens": 5000}', /limit of 1000/, 'max_tokens'],
      ['{"model": "reference", "messages": [{"role": "user", "content": "x"}], "temperature": 3}', /temperature/, 'temperature'],
      ['{"model": "reference", "messages": [{"role": "user", "content": "x"}], "n": 2}', /n = 1/, 'n'],
      ['{"model": "reference", "messages": [{"role": "user", "content": "x"}], "stop": 5}', /stop/, 'stop'],
    ];
    for (const [body, message, param] of cases) {
      const r = await post('/chat/completions', body);
      expect(r.status, body).toBe(400);
      const { error } = (await r.json()) as { error: { message: string; type: string; param: string | null } };
      expect(error.message).toMatch(message);
      expect(error.type).toBe('invalid_request_error');
      expect(error.param).toBe(param);
    }
    const big = await post('/completions', JSON.stringify({ model: 'reference', prompt: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toBeTruthy();
    const unknown = await post('/completions', JSON.stringify({ model: 'gpt-9', prompt: 'x' }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
  });

  it('the ledger holds every window of an answer, for its account (or shared), once folded', async () => {
    const r = await client(BOB.apiKey).completions.create({ model: 'reference', prompt: 'Whales', max_tokens: 50, seed: 4 });
    const ids = tok.encode(r.choices[0]!.text);
    expect(ledger.answers).toBeGreaterThanOrEqual(6);
    await ledger.checkpoint();
    const owners = await loadAccountLedger(ledger.path, key.params.window, 'o200k_base');
    let bobs = 0;
    for (let end = key.params.window; end <= ids.length; end++) {
      expect(owners.hasWindow(ids, end)).toBe(true);
      // A window Alice also received is shared (no owner); none can be anyone else's.
      const owner = owners.ownerOf(ids, end);
      expect([BOB.account, undefined]).toContain(owner);
      if (owner === BOB.account) bobs++;
    }
    expect(bobs).toBeGreaterThan(ids.length / 2);
  });
});
