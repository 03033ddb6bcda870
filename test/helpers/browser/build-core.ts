// Builds the ESM core bundle (and radiomark/tiktoken-browser) with the project's own tsup
// options, into a temporary directory so that the test never races a concurrent `npm run build`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Options } from 'tsup';
import configs from '../../../tsup.config.js';

/** Returns the output directory (holding core.js and adapters/tiktoken-browser.js). */
export async function buildCoreBundle(): Promise<string> {
  const library = (configs as Options[])[0]!;
  const outDir = mkdtempSync(join(tmpdir(), 'radiomark-browser-build-'));
  await build({
    ...library,
    entry: { core: 'src/core.ts', 'adapters/tiktoken-browser': 'src/adapters/tiktoken-browser.ts' },
    format: ['esm'],
    outDir,
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    config: false,
  });
  return outDir;
}
