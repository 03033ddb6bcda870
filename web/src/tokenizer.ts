import wasmBase64 from 'virtual:tiktoken-wasm';
import { initTiktoken } from '../../src/adapters/tiktoken-browser.js';

let ready: Promise<void> | undefined;

/**
 * Instantiates tiktoken from the copy of its WebAssembly inlined in the page (no fetch: the
 * page's CSP forbids every connection). Idempotent.
 *
 * @example
 * ```ts
 * await startTokenizer();
 * watermark.detect(text);
 * ```
 */
export function startTokenizer(): Promise<void> {
  ready ??= initTiktoken(decodeBase64(wasmBase64));
  return ready;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
