// Builds the investigator page (web/) into ONE self-contained file, web/dist/index.html: the
// script (with tiktoken's WebAssembly inlined) and the styles are inlined and pinned by hash
// in a Content-Security-Policy that forbids every connection, so the page works offline,
// from file:// or any static server, and cannot send the key or the text anywhere.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const PLACEHOLDER = '__RADIOMARK_CSP__';
const WASM_MODULE = 'virtual:tiktoken-wasm';

/** `virtual:tiktoken-wasm`: tiktoken's WebAssembly (every encoding inside) as base64. */
function tiktokenWasm(): Plugin {
  return {
    name: 'radiomark:tiktoken-wasm',
    resolveId: (source) => (source === WASM_MODULE ? `\0${WASM_MODULE}` : undefined),
    load(id) {
      if (id !== `\0${WASM_MODULE}`) return undefined;
      const bytes = readFileSync(require.resolve('tiktoken/tiktoken_bg.wasm'));
      return `export default ${JSON.stringify(bytes.toString('base64'))};`;
    },
  };
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The policy of the built page: only its own inline script and style, and WebAssembly. */
function policy(scripts: string[], styles: string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.join(' ')} 'wasm-unsafe-eval'`,
    `style-src ${styles.join(' ') || "'none'"}`,
    'img-src data:',
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Inlines the emitted script and stylesheet into index.html and writes their hashes into the CSP. */
function selfContainedPage(): Plugin {
  return {
    name: 'radiomark:self-contained-page',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      if (!page || page.type !== 'asset') return this.error('index.html was not emitted');
      const scripts: string[] = [];
      const styles: string[] = [];
      const take = (file: string): string => {
        const item = bundle[file];
        if (!item) return this.error(`missing ${file}`);
        delete bundle[file];
        return item.type === 'chunk' ? item.code : String(item.source);
      };
      let html = String(page.source)
        .replace(/<script type="module" crossorigin src="\.\/([^"]+\.js)"><\/script>/g, (_tag, file: string) => {
          // "</script" inside the code would end the element early; "<\/" means the same in JS.
          const code = take(file).replace(/<\/script/gi, '<\\/script');
          scripts.push(sha256(code));
          return `<script type="module">${code}</script>`;
        })
        .replace(/<link rel="stylesheet" crossorigin href="\.\/([^"]+\.css)">/g, (_tag, file: string) => {
          const css = take(file);
          styles.push(sha256(css));
          return `<style>${css}</style>`;
        });
      if (/(?:src|href)="\.\/assets\//.test(html) || Object.keys(bundle).length !== 1) {
        return this.error(`the page still references other files: ${Object.keys(bundle).join(', ')}`);
      }
      if (scripts.length === 0) return this.error('no script was inlined');
      html = html.replace(PLACEHOLDER, policy(scripts, styles));
      page.source = html;
    },
  };
}

/** `vite dev` cannot satisfy the hashed policy (it injects its client): use a relaxed one. */
function devPolicy(): Plugin {
  return {
    name: 'radiomark:dev-policy',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace(
        PLACEHOLDER,
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws:",
      ),
  };
}

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  plugins: [tiktokenWasm(), selfContainedPage(), devPolicy()],
  resolve: {
    // The core imports `tiktoken`, whose default entry imports a .wasm module; in the page it
    // is radiomark/tiktoken-browser, initialised from the inlined bytes.
    alias: [{ find: /^tiktoken$/, replacement: fileURLToPath(new URL('../src/adapters/tiktoken-browser.ts', import.meta.url)) }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 12_000,
    rolldownOptions: { output: { codeSplitting: false } },
  },
});
