// Human (null) text for false-positive tests: held-out prose, repetitive and templated text
// built from it, and source code from node_modules. Everything is tokenized with o200k_base
// and deterministic for a given seed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTokenizer } from '../../src/index.js';
import { heldOutDocuments } from '../../src/node/corpora.js';
import { seededRandom, type RandomSource } from '../../src/base/rng.js';

export type NullCategory = 'prose' | 'repetitive' | 'templated' | 'code';
export const NULL_CATEGORIES: readonly NullCategory[] = ['prose', 'repetitive', 'templated', 'code'];

/** A pool of token sequences of one category, plus the kind of each (for reporting). */
export interface TextPool {
  category: NullCategory;
  docs: Uint32Array[];
  kinds: string[];
  tokens: number;
  description: string;
}

const tokenizer = () => getTokenizer('o200k_base');
const pick = <T>(rng: RandomSource, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: RandomSource, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

let sentenceCache: string[] | undefined;
/** Sentences of the held-out prose (never used to train the reference model). */
export function heldOutSentences(): string[] {
  if (!sentenceCache) {
    sentenceCache = heldOutDocuments()
      .flatMap((d) => d.text.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+(?=[A-Z"])/))
      .map((s) => s.trim())
      .filter((s) => s.length >= 30 && s.length <= 300);
  }
  return sentenceCache;
}

export function prosePool(): TextPool {
  const tok = tokenizer();
  const docs = heldOutDocuments().map((d) => tok.encode(d.text));
  return {
    category: 'prose',
    docs,
    kinds: heldOutDocuments().map((d) => d.corpus),
    tokens: docs.reduce((s, d) => s + d.length, 0),
    description: 'held-out documents of the three corpora (State of the Union, Moby-Dick, Brown), random passages',
  };
}

const ITEMS = ['apples', 'bread', 'milk', 'eggs', 'coffee', 'rice', 'butter', 'cheese', 'tea', 'onions', 'pasta', 'salt'];
const FIRST = ['Mary', 'John', 'Ana', 'Wei', 'Fatima', 'Carlos', 'Olga', 'Kenji', 'Amara', 'Liam', 'Noor', 'Pedro'];
const LAST = ['Smith', 'Garcia', 'Chen', 'Okafor', 'Novak', 'Tanaka', 'Silva', 'Khan', 'Muller', 'Rossi', 'Dubois'];
const CITIES = ['Boston', 'Lagos', 'Osaka', 'Lyon', 'Porto', 'Denver', 'Krakow', 'Pune', 'Quito', 'Leeds'];
const PRODUCTS = ['desk lamp', 'office chair', 'USB cable', 'notebook', 'water bottle', 'backpack', 'monitor stand'];
const COMPANIES = ['Northwind', 'Acme', 'Globex', 'Initech', 'Umbrella', 'Contoso'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const RESOURCES = ['users', 'orders', 'items', 'sessions', 'invoices'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const date = (rng: RandomSource) => `2024-${pad(int(rng, 1, 12))}-${pad(int(rng, 1, 28))}`;
const name = (rng: RandomSource) => `${pick(rng, FIRST)} ${pick(rng, LAST)}`;

/** Repeats `make()` until the text holds at least `chars` characters. */
function fill(chars: number, make: (i: number) => string): string {
  let s = '';
  for (let i = 0; s.length < chars; i++) s += make(i);
  return s;
}

const REPETITIVE: Record<string, (rng: RandomSource, sentences: string[], chars: number) => string> = {
  // A paragraph (1-4 consecutive sentences) pasted again and again.
  'repeated paragraph': (rng, s, chars) => {
    const start = int(rng, 0, s.length - 5);
    const para = s.slice(start, start + int(rng, 1, 4)).join(' ');
    return fill(chars, () => `${para}\n\n`);
  },
  // One sentence per line, the same sentence every line.
  'repeated line': (rng, s, chars) => {
    const line = pick(rng, s);
    return fill(chars, () => `${line}\n`);
  },
  // Verses of fresh sentences alternating with a fixed two-sentence chorus.
  'song with chorus': (rng, s, chars) => {
    const chorus = `${pick(rng, s)}\n${pick(rng, s)}\n`;
    return fill(chars, () => `${pick(rng, s)}\n${pick(rng, s)}\n\n${chorus}\n`);
  },
  // A bulleted list drawing from a dozen items.
  'shopping list': (rng, _s, chars) => fill(chars, () => `- ${pick(rng, ITEMS)}\n`),
};

const TEMPLATED: Record<string, (rng: RandomSource, chars: number) => string> = {
  'form letters': (rng, chars) =>
    fill(
      chars,
      () =>
        `Dear ${name(rng)},\n\nThank you for your order #${int(rng, 10000, 99999)} of ${date(rng)}. We are pleased to confirm ` +
        `that ${int(rng, 1, 9)} x ${pick(rng, PRODUCTS)} will be shipped to ${pick(rng, CITIES)} on ${date(rng)}. ` +
        `If you have any questions, please contact our customer service team.\n\nSincerely,\nThe ${pick(rng, COMPANIES)} Team\n\n`,
    ),
  'CSV table': (rng, chars) =>
    'id,name,city,amount,date\n' +
    fill(chars, (i) => `${i + 1},${name(rng)},${pick(rng, CITIES)},${int(rng, 1, 999)}.${pad(int(rng, 0, 99))},${date(rng)}\n`),
  'server log': (rng, chars) =>
    fill(
      chars,
      () =>
        `${date(rng)}T${pad(int(rng, 0, 23))}:${pad(int(rng, 0, 59))}:${pad(int(rng, 0, 59))}Z INFO [worker-${int(rng, 1, 8)}] ` +
        `${pick(rng, METHODS)} /api/${pick(rng, RESOURCES)}/${int(rng, 1, 5000)} completed in ${int(rng, 2, 900)} ms status=200\n`,
    ),
  'markdown invoice': (rng, chars) =>
    '| Item | Qty | Price |\n|---|---|---|\n' +
    fill(chars, () => `| ${pick(rng, PRODUCTS)} | ${int(rng, 1, 20)} | $${int(rng, 1, 300)}.${pad(int(rng, 0, 99))} |\n`),
};

/** `count` repetitive texts of at least `chars` characters each. */
export function repetitivePool(count: number, chars: number, seed: number): TextPool {
  const rng = seededRandom(seed);
  const sentences = heldOutSentences();
  const tok = tokenizer();
  const names = Object.keys(REPETITIVE);
  const docs: Uint32Array[] = [];
  const kinds: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = names[i % names.length]!;
    docs.push(tok.encode(REPETITIVE[kind]!(rng, sentences, chars)));
    kinds.push(kind);
  }
  return {
    category: 'repetitive',
    docs,
    kinds,
    tokens: docs.reduce((s, d) => s + d.length, 0),
    description: `built from held-out sentences: ${names.join(', ')}`,
  };
}

/** `count` templated texts (form letters, CSV, logs, tables) with random slot values. */
export function templatedPool(count: number, chars: number, seed: number): TextPool {
  const rng = seededRandom(seed);
  const tok = tokenizer();
  const names = Object.keys(TEMPLATED);
  const docs: Uint32Array[] = [];
  const kinds: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = names[i % names.length]!;
    docs.push(tok.encode(TEMPLATED[kind]!(rng, chars)));
    kinds.push(kind);
  }
  return {
    category: 'templated',
    docs,
    kinds,
    tokens: docs.reduce((s, d) => s + d.length, 0),
    description: `random slot values: ${names.join(', ')}`,
  };
}

const NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules');

/**
 * Source code: .js/.mjs/.cjs/.ts files (no .d.ts, no minified or bundled files) from the
 * installed packages, every `stride`-th file in sorted order, up to `maxFiles`.
 */
export function codePool(maxFiles: number, stride = 3): TextPool {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 8 && e.name !== '.bin' && e.name !== '.cache') walk(p, depth + 1);
      } else if (/\.(m|c)?[jt]s$/.test(e.name) && !/\.d\.[mc]?ts$|\.min\.js$/.test(e.name)) files.push(p);
    }
  };
  walk(NODE_MODULES, 0);
  const tok = tokenizer();
  const docs: Uint32Array[] = [];
  const kinds: string[] = [];
  for (let i = 0; i < files.length && docs.length < maxFiles; i += stride) {
    const size = statSync(files[i]!).size;
    if (size < 2_000 || size > 150_000) continue;
    const text = readFileSync(files[i]!, 'utf8');
    const lines = text.split('\n');
    if (lines.some((l) => l.length > 400)) continue; // minified or bundled
    if (text.includes('<|endoftext|>')) continue;
    docs.push(tok.encode(text));
    kinds.push(files[i]!.endsWith('ts') ? 'TypeScript' : 'JavaScript');
  }
  return {
    category: 'code',
    docs,
    kinds,
    tokens: docs.reduce((s, d) => s + d.length, 0),
    description: `${docs.length} .js/.mjs/.cjs/.ts source files from node_modules (no .d.ts, minified or bundled files)`,
  };
}

/** A random passage of `length` tokens from a pool (the whole document when shorter). */
export function passage(pool: TextPool, rng: RandomSource, length: number): { ids: Uint32Array; kind: string } {
  for (let attempt = 0; ; attempt++) {
    const d = Math.floor(rng() * pool.docs.length);
    const doc = pool.docs[d]!;
    if (doc.length < length && attempt < 20) continue;
    const start = Math.floor(rng() * Math.max(1, doc.length - length + 1));
    return { ids: doc.subarray(start, start + length), kind: pool.kinds[d]! };
  }
}
