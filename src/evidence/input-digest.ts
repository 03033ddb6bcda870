import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from './hex.js';

/** What an evidence bundle records of one input file. */
export interface InputDigest {
  /** What the input is to the test (`suspect`, `filter`, `text`, `owners`, ...). */
  role: string;
  /** File name as given (no directory: the bundle does not reveal local paths). */
  name: string;
  /** Size in bytes. */
  bytes: number;
  /** Lines (newline characters, plus one for a last line without a newline). */
  lines: number;
  /** SHA-256 of the file's bytes, 64 lowercase hex characters. */
  sha256: string;
}

/**
 * Digest, size and line count of an input's bytes.
 *
 * @example
 * ```ts
 * digestInput('suspect', 'suspect.jsonl', bytes); // { role, name, bytes, lines, sha256 }
 * ```
 */
export function digestInput(role: string, name: string, bytes: Uint8Array): InputDigest {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines++;
  return { role, name: name.split(/[\\/]/).pop() ?? name, bytes: bytes.length, lines, sha256: bytesToHex(sha256(bytes)) };
}
