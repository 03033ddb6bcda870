// The investigator page (web/), built with Vite into one self-contained HTML file, driven end
// to end in headless Chromium: served from 127.0.0.1 and opened from file://, upload a key
// file, paste a watermarked text generated here, read the verdict and the account id,
// screenshot it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWatermark, exportKey, importKey } from '../../src/core.js';
import { fixedKey } from '../helpers/engine-logits.js';
import { humanParagraphs } from '../helpers/human-text.js';
import { launchChromium, type Chromium } from '../helpers/browser/chromium.js';
import { countPixels, decodePng } from '../helpers/browser/png.js';
import { serveStatic, type StaticServer } from '../helpers/browser/static-server.js';
import { generateText } from '../helpers/browser/watermarked-text.js';

const root = join(import.meta.dirname, '..', '..');
/** Where the screenshots are kept for people to look at (gitignored). */
const SCREENSHOT_DIR = join(root, '.cache', 'screenshots');

const keyJson = exportKey(fixedKey({ window: 2 }, 23));
const wm = createWatermark(importKey(keyJson));
const marked = generateText(wm, 300, 8).text;
/** Generated for one account (an id above 2^31, to catch signed 32-bit slips). */
const ACCOUNT = 3_141_592_653;
const withAccount = generateText(createWatermark(importKey(keyJson), { account: ACCOUNT }), 300, 9).text;
const human = humanParagraphs(1200)[5]!;

let work: string;
let outDir: string;
let keyPath: string;
let server: StaticServer;
let browser: Chromium;

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  return { page, errors };
}

async function verdictFor(page: Page, text: string, key = keyPath): Promise<string> {
  await page.setInputFiles('#key-file', key);
  await page.waitForSelector('#key-status.ok, #key-status.error');
  await page.fill('#text', text);
  await page.waitForSelector('#verdict.positive, #verdict.negative, #verdict.error', { timeout: 20_000 });
  return (await page.textContent('#verdict')) ?? '';
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'radiomark-page-'));
  outDir = join(work, 'dist');
  await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  keyPath = join(work, 'investigator.key');
  writeFileSync(keyPath, keyJson);
  server = await serveStatic({ '/': outDir });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('investigator page', () => {
  // One page for the served checks, in order (opening the 7.5 MB page is the slow part).
  let page: Page;
  let errors: string[];

  it('builds into one self-contained file under a strict Content-Security-Policy', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('served from 127.0.0.1: upload a key, paste watermarked text, see the verdict, coloured tokens', async () => {
    ({ page, errors } = await openPage(`${server.url}/index.html`));
    const verdict = await verdictFor(page, marked);
    const node = wm.detect(marked, { details: true });
    expect(node.watermarked).toBe(true);
    expect(verdict).toMatch(/^Watermarked: p = .+ ≤ α = 0\.000001$/);
    expect(await page.textContent('#key-status')).toContain(`Key ${wm.keyId}`);
    const numbers = (await page.textContent('#numbers')) ?? '';
    expect(numbers).toContain(node.log10PValue.toFixed(2));
    expect(numbers).toContain(`tuples scored${node.scored}`);
    const count = (status: string) => node.details!.filter((d) => d.status === status).length;
    expect(await page.locator('#tokens .tok-green').count()).toBe(count('green'));
    expect(await page.locator('#tokens .tok-red').count()).toBe(count('red'));
    expect(await page.textContent('#tokens')).toBe(marked);
    // Zero-bit watermark only: no account id.
    await page.waitForSelector('#account.none');
    expect(await page.textContent('#account')).toMatch(/^No account id decoded \(log10 p = /);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const png = await page.screenshot({ path: join(SCREENSHOT_DIR, 'investigator-watermarked.png'), fullPage: true });
    const image = decodePng(png);
    expect(image.width).toBeGreaterThan(800);
    // Token backgrounds: green #b7efb0 and red #f7c4c4; the verdict banner #1f7a33.
    const near = (r0: number, g0: number, b0: number) => (r: number, g: number, b: number) =>
      Math.abs(r - r0) < 8 && Math.abs(g - g0) < 8 && Math.abs(b - b0) < 8;
    expect(countPixels(image, near(0xb7, 0xef, 0xb0))).toBeGreaterThan(5000);
    expect(countPixels(image, near(0xf7, 0xc4, 0xc4))).toBeGreaterThan(500);
    expect(countPixels(image, near(0x1f, 0x7a, 0x33))).toBeGreaterThan(5000);
    expect(errors).toEqual([]);
  });

  it('decodes the account id of a text generated for one account', async () => {
    await page.fill('#text', withAccount);
    await page.waitForSelector('#account.found', { timeout: 20_000 });
    const node = wm.decodeAccount(withAccount);
    expect(node.account).toBe(ACCOUNT);
    expect(await page.textContent('#account')).toBe(
      `Account id: ${ACCOUNT} (log10 p = ${node.log10PValue.toFixed(2)}; corrected for all 2^32 ids and the ids tried)`,
    );
    expect(await page.getAttribute('#verdict', 'class')).toBe('verdict positive');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'investigator-account.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('says "not watermarked" for human text, and rejects a damaged key file without echoing it', async () => {
    await page.fill('#text', human);
    await page.waitForSelector('#verdict.negative', { timeout: 20_000 });
    expect(await page.textContent('#verdict')).toMatch(/^Not watermarked with this key: p = /);
    await page.waitForSelector('#account.none');
    expect(await page.textContent('#account')).toMatch(/^No account id decoded /);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'investigator-human.png'), fullPage: true });
    // A key that cannot carry account ids: a short note, never an error banner.
    const gumbel = join(work, 'gumbel.key');
    writeFileSync(gumbel, exportKey(fixedKey({ scheme: 'gumbel' }, 5)));
    await page.setInputFiles('#key-file', gumbel);
    await page.waitForSelector('#account.unsupported', { timeout: 20_000 });
    expect(await page.textContent('#account')).toMatch(/^No account ids with this key: account ids need a kgw key/);
    expect(await page.getAttribute('#verdict', 'class')).toMatch(/^verdict (positive|negative)$/);
    const bad = join(work, 'bad.key');
    writeFileSync(bad, keyJson.replace(/"secret": "[^"]+"/, '"secret": "AAAA"'));
    await page.setInputFiles('#key-file', bad);
    await page.waitForSelector('#key-status.error');
    const message = (await page.textContent('#key-status')) ?? '';
    expect(message).toMatch(/bad\.key: field "secret" must be 32 bytes/);
    expect(message).not.toContain(JSON.parse(keyJson).secret);
    expect(errors).toEqual([]);
  });

  it('cannot send anything: the policy blocks fetch, and no request left 127.0.0.1', async () => {
    const before = server.requests.length;
    const outcome = await page.evaluate(async (url) => {
      try {
        await fetch(url, { method: 'POST', body: 'secret' });
        return 'sent';
      } catch (e) {
        return `blocked: ${String(e)}`;
      }
    }, `${server.url}/exfiltrate`);
    expect(outcome).toMatch(/^blocked/);
    expect(server.requests.slice(before)).toEqual([]);
    await page.close();
    expect(browser.offHost).toEqual([]);
    for (const url of browser.requests) expect(isServedLocally(url)).toBe(true);
    // The server saw only the page itself: no scripts, styles, wasm or icons were fetched.
    expect(new Set(server.requests)).toEqual(new Set(['/index.html']));
  });

  it('works offline from file://', async () => {
    const offline = await openPage(pathToFileURL(join(outDir, 'index.html')).href);
    expect(await verdictFor(offline.page, marked)).toMatch(/^Watermarked/);
    expect(offline.errors).toEqual([]);
    await offline.page.close();
  });
});

function isServedLocally(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'file:' || u.protocol === 'data:' || (u.protocol === 'http:' && u.hostname === '127.0.0.1');
}
