/**
 * Turns one file of the POS-tagged Brown corpus (`The/at jury/nn said/vbd ./.`) back into
 * ordinary English: tags dropped, punctuation rejoined, LaTeX-style quotes undone.
 */

/** How a token joins its neighbours: `word` takes a space before it. */
type Joint = 'word' | 'open' | 'close' | 'infix';

// Tokens the tagged corpus splits off that English writes without a space.
const SPECIAL: ReadonlyMap<string, readonly [string, Joint]> = new Map(
  Object.entries({
    '``': ['"', 'open'],
    "''": ['"', 'close'],
    '`': ["'", 'open'],
    "'": ["'", 'close'],
    '(': ['(', 'open'],
    '[': ['[', 'open'],
    ')': [')', 'close'],
    ']': [']', 'close'],
    ',': [',', 'close'],
    '.': ['.', 'close'],
    ';': [';', 'close'],
    ':': [':', 'close'],
    '?': ['?', 'close'],
    '!': ['!', 'close'],
    // An em dash joined on both sides, as Moby-Dick and modern addresses print it.
    '--': ['\u2014', 'infix'],
  } satisfies Record<string, readonly [string, Joint]>),
);

/**
 * Plain English text of one tagged Brown corpus file. Paragraphs (blocks separated by blank
 * lines) become `\n\n`-separated; sentences inside a paragraph are joined by one space.
 *
 * @example
 * ```ts
 * detagBrown("\n\n\t``/`` Only/rb a/at handful/nn ''/'' ,/, the/at jury/nn said/vbd ./.\n");
 * // '"Only a handful", the jury said.'
 * ```
 */
export function detagBrown(tagged: string): string {
  const paragraphs: string[] = [];
  for (const block of tagged.split(/\n[ \t]*\n/)) {
    const text = joinWords(block.match(/\S+/g) ?? []);
    if (text !== '') paragraphs.push(text);
  }
  return paragraphs.join('\n\n');
}

function joinWords(tokens: readonly string[]): string {
  const pieces: string[] = [];
  let glueNext = true; // no space before the first word or after an opening mark
  for (const token of tokens) {
    // The word of a `word/tag` token (words may themselves contain `/`, e.g. `1/2/cd`).
    const slash = token.lastIndexOf('/');
    const raw = slash > 0 ? token.slice(0, slash) : token;
    if (raw.startsWith('**')) continue; // `**zg`-style editorial markers, not text
    const special = SPECIAL.get(raw);
    const joint = special ? special[1] : 'word';
    if (joint !== 'close' && joint !== 'infix' && !glueNext) pieces.push(' ');
    pieces.push(special ? special[0] : raw);
    glueNext = joint === 'open' || joint === 'infix';
  }
  return pieces.join('');
}
