import { readFile } from 'node:fs/promises';
import { RadiomarkError } from '../base/errors.js';
import { describeFsError } from '../node/fs-errors.js';

/** Reads a whole file as UTF-8, or standard input for `-` or no path. */
export async function readTextInput(path: string | undefined): Promise<string> {
  if (path === undefined || path === '-') return readStdin();
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ${path}: ${describeFsError(e)}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One parsed JSONL record with its 1-based line number. */
export interface JsonlRecord {
  line: number;
  value: Record<string, unknown>;
}

/**
 * Parses JSONL text; blank lines are skipped, and any line that is not a JSON object is an
 * INPUT_FORMAT error naming its line number (never silently dropped).
 */
export function parseJsonl(text: string, source: string): JsonlRecord[] {
  const records: JsonlRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new RadiomarkError('INPUT_FORMAT', `${source} line ${i + 1}: not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new RadiomarkError('INPUT_FORMAT', `${source} line ${i + 1}: expected a JSON object`);
    }
    records.push({ line: i + 1, value: value as Record<string, unknown> });
  }
  return records;
}

/** Reads a required string field of a JSONL record. */
export function stringField(record: JsonlRecord, field: string, source: string): string {
  const v = record.value[field];
  if (typeof v !== 'string') {
    throw new RadiomarkError('INPUT_FORMAT', `${source} line ${record.line}: field "${field}" is missing or not a string`);
  }
  return v;
}
