// Launches Debian's Chromium headless through playwright-core, with a fresh profile and every
// request that does not go to 127.0.0.1 (or stay inside the page: file:, data:, blob:)
// aborted and recorded, so that a test can assert that nothing left the machine.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  readonly context: BrowserContext;
  /** e.g. "Chromium 156.0.8078.108 built on Debian GNU/Linux 12 (bookworm)". */
  readonly version: string;
  /** Every URL the pages requested, in order. */
  readonly requests: string[];
  /** Requests that would have left 127.0.0.1 (all were aborted). */
  readonly offHost: string[];
  close(): Promise<void>;
}

/** True for URLs that stay on this machine. */
export function isLocal(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'file:' || u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:') && u.hostname === '127.0.0.1';
}

/** Launches Chromium; throws (never skips) when it is missing. */
export async function launchChromium(): Promise<Chromium> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get update && apt-get install -y chromium" (.ci/run does this)`,
    );
  }
  const version = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const profile = mkdtempSync(join(tmpdir(), 'radiomark-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 900 },
  });
  const requests: string[] = [];
  const offHost: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    offHost.push(url);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    version,
    requests,
    offHost,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
