import { defineConfig } from 'tsup';

// Two library entries: `index` (Node: adds key files) and `core` (browser-safe, no `node:`
// imports). The CLI is a separate ESM-only executable.
export default defineConfig([
  {
    entry: { index: 'src/index.ts', core: 'src/core.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    // @noble/hashes 2.x is ESM-only: bundle it so the CJS build works.
    noExternal: ['@noble/hashes'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    sourcemap: true,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
