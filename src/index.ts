// radiomark for Node: the browser-safe core plus key files on disk.
export * from './core.js';
export { saveKey, loadKey } from './node/key-store.js';
