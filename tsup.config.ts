import { defineConfig } from 'tsup';

// Library entries: `index` (Node: adds key files), `core` (browser-safe, no `node:` imports),
// the subpaths `stats`, `model`, `ledger`, `prf` (browser-safe layers), and one entry per engine
// adapter so that nobody pays for the others. The CLI is a separate ESM-only executable.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      core: 'src/core.ts',
      'stats/index': 'src/stats/index.ts',
      'model/index': 'src/model/index.ts',
      'ledger/index': 'src/ledger/index.ts',
      'prf/index': 'src/prf/index.ts',
      'evidence/index': 'src/evidence/index.ts',
      'suspects/index': 'src/suspects/index.ts',
      'adapters/transformers': 'src/adapters/transformers.ts',
      'adapters/web-llm': 'src/adapters/web-llm.ts',
      'adapters/node-llama-cpp': 'src/adapters/node-llama-cpp.ts',
      'adapters/tiktoken-browser': 'src/adapters/tiktoken-browser.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    // The CommonJS build gets a real `import.meta.url` (from __filename) instead of an empty object.
    shims: true,
    // @noble/hashes and @noble/curves 2.x are ESM-only: bundle it so the CJS build works.
    noExternal: ['@noble/hashes', '@noble/curves'],
    // Engines are optional peer dependencies, loaded from the user's install, never bundled.
    // node-llama-cpp is ESM-only with top-level await: package.json exports only the ESM
    // build of its adapter (the CJS file is emitted but unreachable).
    external: ['@huggingface/transformers', '@mlc-ai/web-llm', 'node-llama-cpp', 'onnxruntime-node', 'tiktoken'],
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
