/**
 * Loader for the WebAssembly SIMD128 kernels of biasGreen / greenMask (bytes assembled by
 * scripts/build-wasm.mjs). Instantiated lazily and synchronously on first use (the module is
 * < 1 KB, so synchronous compilation is allowed on browser main threads too); when WebAssembly
 * or its SIMD proposal is missing, or compilation is refused (e.g. a CSP without
 * 'wasm-unsafe-eval'), every function here reports "unavailable" and callers use the JS path.
 */
import { BIAS_WASM_BASE64 } from './bias-wasm.generated.js';

interface Kernels {
  readonly memory: WebAssembly.Memory;
  readonly bias: (ptr: number, end: number, tok0: number, seedLo: number, seedHi: number, thr: number, delta: number) => void;
  readonly mask: (ptr: number, end: number, tok0: number, seedLo: number, seedHi: number, thr: number) => void;
}

const PAGE = 65536;
/** Tokens per chunk: 16,384 floats = 64 KB, so a chunk stays in L1/L2 between copy and kernel. */
export const WASM_CHUNK = 16384;

let kernels: Kernels | null | undefined;
let disabled = false;
let f32: Float32Array | null = null;
let u8: Uint8Array | null = null;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let compiled: WebAssembly.Module | null | undefined;

function compile(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
    const bytes = decodeBase64(BIAS_WASM_BASE64);
    if (!WebAssembly.validate(bytes)) return null; // no SIMD128 support
    compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

function load(): Kernels | null {
  const e = instantiateKernels();
  return e === null ? null : { memory: e.memory, bias: e.bias, mask: e.mask };
}

/** Every export of the kernel module (see scripts/build-wasm.mjs for the contracts). */
export interface KernelExports extends Kernels {
  readonly uniforms: (ptr: number, end: number, tok0: number, seedLo: number, seedHi: number) => void;
  readonly selfUniforms: (
    ptr: number,
    end: number,
    tok0: number,
    seedLo: number,
    seedHi: number,
    rank: number,
    own: number,
    anchorRank: number,
    anchor: number,
  ) => void;
  readonly maxf: (ptr: number, end: number) => number;
  readonly expw: (ptr: number, end: number, dst: number, sums: number, max: number, inv: number) => number;
  readonly tourHist: (w: number, u: number, uEnd: number, mass: number, shift: number, mask: number) => void;
  readonly tourApply: (
    w: number,
    u: number,
    uEnd: number,
    factor: number,
    pMask: number,
    mass: number,
    shift: number,
    mask: number,
  ) => void;
  readonly tourDraw: (
    w: number,
    u: number,
    uEnd: number,
    f0: number,
    mask0: number,
    f1: number,
    shift1: number,
    mask1: number,
    target: number,
  ) => number;
  readonly gumbelNext: (w: number, u: number, wEnd: number, bestScaled: number) => number;
}

/**
 * A fresh instance of the kernel module, with its own memory, or null when WebAssembly SIMD
 * is unavailable or disabled (see {@link setWasmDisabled}).
 *
 * @example
 * ```ts
 * const k = instantiateKernels();
 * if (k) k.memory.grow(16);
 * ```
 */
export function instantiateKernels(): KernelExports | null {
  if (disabled) return null;
  const module = compile();
  if (module === null) return null;
  try {
    return new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
  } catch {
    return null;
  }
}

/** The kernels, or null when WebAssembly SIMD is unavailable (or disabled for testing). */
function get(): Kernels | null {
  if (disabled) return null;
  if (kernels === undefined) kernels = load();
  return kernels;
}

/** True when the WebAssembly SIMD128 kernels can be used in this runtime. */
export function wasmSimdAvailable(): boolean {
  return get() !== null;
}

/**
 * Turns the WASM path off (true) or back on (false) for this process, e.g. to test or measure
 * the JS fallback. Results are identical either way.
 */
export function setWasmDisabled(value: boolean): void {
  disabled = value;
}

/** True while {@link setWasmDisabled} has turned the WASM path off. */
export function wasmDisabled(): boolean {
  return disabled;
}

function views(k: Kernels, bytes: number): void {
  const buf = k.memory.buffer;
  if (buf.byteLength < bytes) {
    k.memory.grow(Math.ceil((bytes - buf.byteLength) / PAGE));
  }
  if (f32 === null || f32.buffer !== k.memory.buffer) {
    f32 = new Float32Array(k.memory.buffer);
    u8 = new Uint8Array(k.memory.buffer);
  }
}

/**
 * WASM path of biasGreen (arguments already validated, `thr` as int32 bits). Returns false
 * (touching nothing) when the kernels are unavailable.
 */
export function wasmBias(logits: Float32Array, seedLo: number, seedHi: number, thr: number, delta: number): boolean {
  const k = get();
  if (k === null) return false;
  const n = logits.length;
  const chunk = n < WASM_CHUNK ? (n + 3) & ~3 : WASM_CHUNK;
  views(k, chunk * 4);
  const mem = f32 as Float32Array;
  for (let start = 0; start < n; start += WASM_CHUNK) {
    const len = Math.min(WASM_CHUNK, n - start);
    mem.set(start === 0 && len === n ? logits : logits.subarray(start, start + len), 0);
    k.bias(0, ((len + 3) & ~3) * 4, start, seedLo, seedHi, thr, delta);
    logits.set(len === mem.length ? mem : mem.subarray(0, len), start);
  }
  return true;
}

/**
 * WASM path of greenMask: writes 1 (green) or 0 to out[0..vocabSize). Returns false when the
 * kernels are unavailable.
 */
export function wasmMask(out: Uint8Array, vocabSize: number, seedLo: number, seedHi: number, thr: number): boolean {
  const k = get();
  if (k === null) return false;
  const padded = (vocabSize + 15) & ~15;
  views(k, padded);
  k.mask(0, padded, 0, seedLo, seedHi, thr);
  out.set((u8 as Uint8Array).subarray(0, vocabSize));
  return true;
}
