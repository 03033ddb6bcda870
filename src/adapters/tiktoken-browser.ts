/**
 * radiomark/tiktoken-browser: tiktoken for browsers, with no WebAssembly-aware bundler.
 *
 * The core reads text through `tiktoken`, whose default entry imports its `.wasm` file as an
 * ES module, which browsers (and Vite without a plugin) cannot load. Map the bare specifier
 * `tiktoken` to this module (an import map, or a bundler alias matching exactly `tiktoken`),
 * then call {@link initTiktoken} once with the bytes of `tiktoken/tiktoken_bg.wasm`. It is
 * the very same WebAssembly as in Node, so text gives the same token ids everywhere.
 * Token-id detection and biasing never need it.
 *
 * @module
 */
import { get_encoding as getEncodingAfterInit, init, type Tiktoken, type TiktokenEncoding } from 'tiktoken/init';
import { RadiomarkError } from '../base/errors.js';

export * from 'tiktoken/init';

/**
 * What {@link initTiktoken} accepts: the wasm bytes, a compiled module, or a fetch response.
 *
 * @example
 * ```ts
 * const source: TiktokenWasmSource = fetch('/assets/tiktoken_bg.wasm');
 * ```
 */
export type TiktokenWasmSource = BufferSource | WebAssembly.Module | Response | PromiseLike<Response>;

let initialized = false;
let pending: Promise<void> | undefined;

/**
 * Instantiates tiktoken's WebAssembly (all encodings are inside it; ~5.6 MB). Call once before
 * the first text detection; later calls return the first call's promise. Needs a CSP that
 * allows `'wasm-unsafe-eval'`.
 *
 * @example
 * ```ts
 * // import map: { "imports": { "tiktoken": "/node_modules/radiomark/dist/tiktoken-browser.js", ... } }
 * import { initTiktoken } from 'radiomark/tiktoken-browser';
 * import wasmUrl from 'tiktoken/tiktoken_bg.wasm?url';
 * await initTiktoken(fetch(wasmUrl));
 * createWatermark(importKey(keyJson)).detect('some text');
 * ```
 */
export function initTiktoken(source: TiktokenWasmSource): Promise<void> {
  pending ??= (async () => {
    const resolved = await source;
    await init(async (imports) => {
      if (resolved instanceof WebAssembly.Module) return WebAssembly.instantiate(resolved, imports);
      const bytes = isResponse(resolved) ? await resolved.arrayBuffer() : resolved;
      return WebAssembly.instantiate(bytes, imports);
    });
    initialized = true;
  })().catch((cause: unknown) => {
    pending = undefined;
    throw new RadiomarkError('TOKENIZER', 'could not instantiate the tiktoken WebAssembly module', { cause });
  });
  return pending;
}

/**
 * True once {@link initTiktoken} has finished.
 *
 * @example
 * ```ts
 * if (!tiktokenReady()) await initTiktoken(wasmBytes);
 * ```
 */
export function tiktokenReady(): boolean {
  return initialized;
}

/**
 * tiktoken's `get_encoding`, with a clear error when {@link initTiktoken} has not run yet.
 *
 * @example
 * ```ts
 * get_encoding('o200k_base').encode_ordinary('hello').length; // 1
 * ```
 */
export function get_encoding(encoding: TiktokenEncoding, extendSpecialTokens?: Record<string, number>): Tiktoken {
  if (!initialized) {
    throw new RadiomarkError('TOKENIZER', 'tiktoken is not initialised in this browser: await initTiktoken(wasm) first');
  }
  return getEncodingAfterInit(encoding, extendSpecialTokens);
}

function isResponse(value: unknown): value is Response {
  return typeof Response !== 'undefined' && value instanceof Response;
}
