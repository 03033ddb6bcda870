// radiomark probe against radiomark serve on 127.0.0.1, then radiomark radioactivity on the
// answers file as written: a watermarked server is caught (log10 p < -10 from 8 answers of 200
// tokens), an unwatermarked one is not. Also: resuming without duplicates, one-line errors,
// and the API key never printed or written.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveKey } from '../../src/index.js';
import { loadOrTrainReferenceModel } from '../../src/node/model-cache.js';
import { ApiKeys, sha256Hex } from '../../src/serve/api-keys.js';
import { referenceServeModel } from '../../src/serve/reference-serve-model.js';
import { createServeApp } from '../../src/serve/server.js';
import { WatermarkPool } from '../../src/serve/watermark-pool.js';
import { fixedKey } from '../helpers/fixed-key.js';
import { runCliAsync } from '../helpers/serve-process.js';

const key = fixedKey(1818);
const API_KEY = 'sk-probe-test-secret-value';
const PROMPTS = ['The ship', 'In the morning', 'Congress shall', 'The whale', 'Our nation', 'He said', 'It was', 'The people'];
let dir: string;
let keyPath: string;
let promptsPath: string;
const servers: ReturnType<typeof createServeApp>[] = [];
const urls = { marked: '', plain: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'radiomark-probe-'));
  keyPath = join(dir, 'provider.key');
  await saveKey(key, keyPath);
  promptsPath = join(dir, 'prompts.jsonl');
  writeFileSync(promptsPath, PROMPTS.map((prompt) => JSON.stringify({ prompt })).join('\n') + '\n');
  const model = referenceServeModel(await loadOrTrainReferenceModel(), 'o200k_base');
  const apiKeys = ApiKeys.fromEntries([{ account: 5, apiKeySha256: sha256Hex(API_KEY) }]);
  for (const kind of ['marked', 'plain'] as const) {
    const app = createServeApp({
      model,
      apiKeys,
      watermarks: kind === 'marked' ? new WatermarkPool(key, model.vocabSize) : null,
      ledger: null,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    urls[kind] = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
    servers.push(app);
  }
});

afterAll(async () => {
  for (const app of servers) await app.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const probe = (url: string, out: string, extra: string[] = [], env: NodeJS.ProcessEnv = { OPENAI_API_KEY: API_KEY }) =>
  runCliAsync(
    ['probe', '--base-url', url, '--model', 'reference', '--prompts', promptsPath, '--out', out, '--max-tokens', '200', ...extra],
    env,
  );

const radioactivity = async (answers: string) => {
  const r = await runCliAsync(['radioactivity', '--key', keyPath, '--controls', '5', '--json', answers]);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as { log10PValue: number; radioactive: boolean; records: number };
};

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { prompt: string; completion: string });

describe('radiomark probe -> radiomark radioactivity', () => {
  it('a watermarked server is caught from 8 answers of 200 tokens; an unwatermarked one is not', async () => {
    const marked = join(dir, 'marked.jsonl');
    const plain = join(dir, 'plain.jsonl');
    const [a, b] = await Promise.all([probe(urls.marked, marked, ['--concurrency', '3']), probe(urls.plain, plain)]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    for (const r of [a, b]) expect(r.out + r.err).not.toContain(API_KEY);
    expect(
      lines(marked)
        .map((l) => l.prompt)
        .sort(),
    ).toEqual([...PROMPTS].sort());
    expect(readFileSync(marked, 'utf8')).not.toContain(API_KEY);
    const [caught, clean] = await Promise.all([radioactivity(marked), radioactivity(plain)]);
    expect(caught.records).toBe(8);
    expect(caught.log10PValue).toBeLessThan(-10);
    expect(caught.radioactive).toBe(true);
    expect(clean.radioactive).toBe(false);
    expect(clean.log10PValue).toBeGreaterThan(-6);
    console.info(
      `probe: watermarked serve log10 p = ${caught.log10PValue.toFixed(1)}; unwatermarked log10 p = ${clean.log10PValue.toFixed(2)}`,
    );
  });

  it('resumes an interrupted run: no prompt answered twice, a torn last line dropped', async () => {
    const out = join(dir, 'resume.jsonl');
    const earlier = PROMPTS.slice(0, 3).map((prompt) => JSON.stringify({ prompt, completion: ` earlier answer to ${prompt}` }));
    writeFileSync(out, earlier.join('\n') + '\n');
    appendFileSync(out, '{"prompt": "The wha'); // cut short by the interruption
    const r = await probe(urls.marked, out, ['--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ prompts: 8, resumed: 3, written: 5 });
    const all = lines(out);
    expect(all).toHaveLength(8);
    expect(all.map((l) => l.prompt).sort()).toEqual([...PROMPTS].sort());
    expect(all.slice(0, 3).map((l) => l.completion)).toEqual(PROMPTS.slice(0, 3).map((p) => ` earlier answer to ${p}`));
    const again = await probe(urls.marked, out, ['--json']);
    expect(JSON.parse(again.out)).toMatchObject({ resumed: 8, written: 0 });
  });

  it('one-line errors: bad URL, unreachable server, wrong key, bad prompts file, no key', async () => {
    const out = join(dir, 'errors.jsonl');
    const badPrompts = join(dir, 'bad-prompts.jsonl');
    writeFileSync(badPrompts, '{"prompt": "ok"}\nnot json\n');
    const [badUrl, unreachable, wrongKey, badFile, noKey] = await Promise.all([
      probe('not a url', out),
      probe('http://127.0.0.1:1/v1', out, ['--retries', '0']),
      probe(urls.marked, out, ['--api-key-env', 'PROBE_TEST_KEY'], { PROBE_TEST_KEY: 'sk-not-a-customer-key' }),
      runCliAsync(['probe', '--base-url', urls.marked, '--model', 'reference', '--prompts', badPrompts, '--out', out], {
        OPENAI_API_KEY: API_KEY,
      }),
      probe(urls.marked, out, [], { OPENAI_API_KEY: '' }),
    ]);
    const oneLine = (r: { code: number | null; err: string }, pattern: RegExp) => {
      expect(r.code, r.err).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(pattern);
    };
    oneLine(badUrl, /--base-url is not a URL/);
    oneLine(unreachable, /cannot reach http:\/\/127\.0\.0\.1:1\/v1/);
    oneLine(wrongKey, /authentication failed .*HTTP 401/);
    expect(wrongKey.err).not.toContain('sk-not-a-customer-key');
    oneLine(badFile, /bad-prompts\.jsonl line 2: not JSON/);
    oneLine(noKey, /set the environment variable OPENAI_API_KEY/);
  });
});
