/**
 * Turns one file of the POS-tagged Brown corpus (`The/at jury/nn said/vbd ./.`) back into
 * ordinary English: tags dropped, punctuation rejoined, LaTeX-style quotes undone.
 */

/** How a token joins its neighbours: `word` takes a space before it. */
type Joint = 'word' | 'open' | 'close' | 'infix';

// Tokens the tagged corpus splits off that English writes without a space.
const SPECIAL: Readonly<Record<string, readonly [string, Joint]>> = {
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
};

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
    const words = block.split(/\s+/).filter((t) => t !== '').map(untag).filter(keepWord);
    if (words.length > 0) paragraphs.push(joinWords(words));
  }
  return paragraphs.join('\n\n');
}

/** The word of a `word/tag` token (words may themselves contain `/`, e.g. `1/2/cd`). */
function untag(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash > 0 ? token.slice(0, slash) : token;
}

// `**zg`-style entries are editorial markers of the corpus, not text.
function keepWord(word: string): boolean {
  return !word.startsWith('**');
}

function joinWords(words: readonly string[]): string {
  let text = '';
  let glueNext = true; // no space before the first word or after an opening mark
  for (const raw of words) {
    const [word, joint] = SPECIAL[raw] ?? [raw, 'word'];
    const spaced = joint !== 'close' && joint !== 'infix' && !glueNext;
    text += spaced ? ` ${word}` : word;
    glueNext = joint === 'open' || joint === 'infix';
  }
  return text;
}
