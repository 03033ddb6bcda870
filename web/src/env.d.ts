// Virtual module of web/vite.config.ts: tiktoken's WebAssembly, base64, inlined in the page
// so that it works from file:// and under `connect-src 'none'`.
declare module 'virtual:tiktoken-wasm' {
  const base64: string;
  export default base64;
}
