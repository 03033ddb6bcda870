// The ESM core bundle in headless Chromium, loaded unbundled from a 127.0.0.1 static server:
// import a key file, detect token ids and text, bias logits and sample; every result must
// equal Node's, bit for bit.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWatermark, exportKey, importKey } from '../../src/core.js';
import { fixedKey } from '../helpers/engine-logits.js';
import { buildCoreBundle } from '../helpers/browser/build-core.js';
import { launchChromium, type Chromium } from '../helpers/browser/chromium.js';
import { serveStatic, type StaticServer } from '../helpers/browser/static-server.js';
import { generateText } from '../helpers/browser/watermarked-text.js';

const root = join(import.meta.dirname, '..', '..');

// No bundler: an import map resolves the bundle's one bare import, and tiktoken's
// extensionless internal import.
const PAGE = `<!doctype html><meta charset="utf-8"><title>radiomark core</title>
<script type="importmap">${JSON.stringify({
  imports: {
    tiktoken: '/build/adapters/tiktoken-browser.js',
    'tiktoken/init': '/node_modules/tiktoken/init.js',
    '/node_modules/tiktoken/tiktoken_bg': '/node_modules/tiktoken/tiktoken_bg.js',
  },
})}</script>
<script type="module" src="/fixtures/core-harness.js"></script>`;

const keyJson = exportKey(fixedKey({ window: 2, tokenizer: 'o200k_base' }, 11));
const wm = createWatermark(importKey(keyJson));
const marked = generateText(wm, 300, 3);
const promptIds = marked.ids.slice(0, 20);
const biasContext = [1734, 382, 290];

interface HarnessResult {
  keyId: string;
  idsResult: Record<string, unknown>;
  returned: boolean;
  green: number[];
  sampled: number;
  beforeInit: string;
  ready: boolean;
  textResult: Record<string, unknown>;
  textMs: number;
  roundTrip: boolean;
  userAgent: string;
}

let buildDir: string;
let server: StaticServer;
let browser: Chromium;
let page: Page;
let result: HarnessResult;

const pick = (r: ReturnType<typeof wm.detect>) => ({
  tokens: r.tokens,
  scored: r.scored,
  green: r.green,
  gamma: r.gamma,
  z: r.z,
  log10PValue: r.log10PValue,
  watermarked: r.watermarked,
  keyId: r.keyId,
  details: r.details,
});

beforeAll(async () => {
  buildDir = await buildCoreBundle();
  server = await serveStatic(
    {
      '/build/': buildDir,
      '/node_modules/tiktoken/': join(root, 'node_modules', 'tiktoken'),
      '/fixtures/': join(import.meta.dirname, 'fixtures'),
    },
    { '/': PAGE },
  );
  browser = await launchChromium();
  page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/`);
  await page.waitForFunction('window.harnessReady === true', undefined, { timeout: 20_000 }).catch((e: unknown) => {
    throw new Error(`harness did not load: ${errors.join('; ') || String(e)}`);
  });
  result = (await page.evaluate((args) => (window as unknown as { harness: { run(a: typeof args): Promise<unknown> } }).harness.run(args), {
    keyJson,
    ids: marked.ids.slice(20),
    promptIds,
    text: marked.text,
    biasContext,
  })) as HarnessResult;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

describe(`core bundle in headless Chromium`, () => {
  it('is browser-safe: no node: imports, only the bare `tiktoken` import', () => {
    const files = readdirSync(buildDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const bare = new Set<string>();
    for (const file of files) {
      const code = readFileSync(join(buildDir, file), 'utf8');
      expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
      for (const m of code.matchAll(/(?:from|import)\s*["']([^"'./][^"']*)["']/g)) bare.add(m[1]!);
    }
    expect([...bare].sort()).toEqual(['tiktoken', 'tiktoken/init']);
    expect(result.userAgent).toMatch(/HeadlessChrome\/\d+/);
    expect(browser.version).toMatch(/^Chromium \d+/);
  });

  it('imports a key file and detects token ids exactly as Node does', () => {
    expect(result.keyId).toBe(importKey(keyJson).id);
    const node = pick(wm.detect(marked.ids.slice(20), { prompt: promptIds, details: true }));
    expect(result.idsResult).toEqual(node);
    expect(node.watermarked).toBe(true);
  });

  it('biases logits and samples exactly as Node does', () => {
    const logits = Float32Array.from({ length: wm.vocabSize }, (_, i) => Math.sin(i));
    const before = logits.slice();
    wm.bias(biasContext, logits);
    const green: number[] = [];
    for (let i = 0; i < logits.length; i++) if (logits[i] !== before[i]) green.push(i);
    expect(result.returned).toBe(true);
    expect(result.green).toEqual(green);
    expect(result.green.length).toBeGreaterThan(0.24 * wm.vocabSize);
    expect(result.sampled).toBe(wm.sample(biasContext, before, { temperature: 0.8, topP: 0.95, rng: 5 }));
  });

  it('detects text after initTiktoken (the same WebAssembly), with Node’s ids and verdict', () => {
    expect(result.beforeInit).toBe('TOKENIZER');
    expect(result.ready).toBe(true);
    const node = pick(wm.detect(marked.text, { details: true }));
    expect(result.textResult).toEqual(node);
    expect(node.watermarked).toBe(true);
  });

  it('generates and round-trips a fresh key in the browser', () => {
    expect(result.roundTrip).toBe(true);
  });

  it('sent no request beyond 127.0.0.1', () => {
    expect(browser.offHost).toEqual([]);
    expect(browser.requests.length).toBeGreaterThan(3);
    for (const url of browser.requests) expect(new URL(url).hostname).toBe('127.0.0.1');
  });
});
