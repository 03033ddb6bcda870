import { describe, expect, it } from 'vitest';
import { isRadiomarkError } from '../../src/base/errors.js';
import { detagBrown } from '../../src/model/detag-brown.js';
import {
  CORPUS_NAMES,
  corpusConfigHash,
  corpusPackageRoot,
  corpusSplitOf,
  heldOutDocuments,
  loadCorpusDocuments,
  trainingDocuments,
  corpusTokenStreams,
} from '../../src/node/corpora.js';

describe('detagBrown', () => {
  it("drops tags, rejoins punctuation and undoes `` '' quotes", () => {
    const tagged =
      "\n\n\t``/`` Only/rb a/at relative/jj handful/nn ''/'' ,/, the/at jury/nn said/vbd ,/, ``/`` was/bedz received/vbn ''/'' ./.\n" +
      "Costs/nns (/( $1,000/nns )/) rose/vbd --/-- sharply/rb ;/. they'd/ppss+hd 1/2/cd **zg cup/nn ?/.\n\n\n\tNext/ap paragraph/nn ./.\n";
    expect(detagBrown(tagged)).toBe(
      '"Only a relative handful", the jury said, "was received". Costs ($1,000) rose\u2014sharply; they\'d 1/2 cup?\n\nNext paragraph.',
    );
  });
});

describe('corpora', () => {
  const docs = loadCorpusDocuments();

  it('reads the three corpora as documents with unique ids', () => {
    const byCorpus = (corpus: string) => docs.filter((d) => d.corpus === corpus);
    expect(byCorpus('sotu').length).toBeGreaterThan(200);
    expect(byCorpus('moby-dick').length).toBeGreaterThan(130);
    expect(byCorpus('brown').length).toBe(500);
    expect(new Set(docs.map((d) => `${d.corpus}/${d.id}`)).size).toBe(docs.length);
    const ca01 = byCorpus('brown').find((d) => d.id === 'ca01')!;
    expect(ca01.text.startsWith('The Fulton County Grand Jury said Friday an investigation of')).toBe(true);
    expect(ca01.text).not.toMatch(/\/[a-z]|``|''/);
    expect(byCorpus('moby-dick').find((d) => d.id === 'chapter_1')!.text).toContain('Call me Ishmael.');
  });

  it('splits about 10% of each corpus off, deterministically', () => {
    for (const corpus of CORPUS_NAMES) {
      const all = docs.filter((d) => d.corpus === corpus);
      const held = all.filter((d) => d.split === 'heldout').length;
      expect(held / all.length).toBeGreaterThan(0.05);
      expect(held / all.length).toBeLessThan(0.15);
    }
    expect(docs.every((d) => d.split === corpusSplitOf(d.corpus, d.id))).toBe(true);
    const heldIds = new Set(heldOutDocuments().map((d) => d.id));
    expect(trainingDocuments().some((d) => heldIds.has(d.id))).toBe(false);
    expect(heldOutDocuments().length + trainingDocuments().length).toBe(docs.length);
  });

  it('tokenizes a split into one stream per document', () => {
    const streams = corpusTokenStreams({ corpora: ['moby-dick'], split: 'heldout' });
    expect(streams.length).toBe(heldOutDocuments({ corpora: ['moby-dick'] }).length);
    expect(streams.every((s) => s instanceof Uint32Array && s.length > 0)).toBe(true);
    expect(corpusTokenStreams({ corpora: ['moby-dick'], maxChars: 1 }).length).toBe(1);
  });

  it('names the exact corpus configuration by a stable hash', () => {
    expect(corpusConfigHash()).toMatch(/^[0-9a-f]{16}$/);
    expect(corpusConfigHash()).toBe(corpusConfigHash({ corpora: CORPUS_NAMES }));
    expect(corpusConfigHash({ corpora: ['brown'] })).not.toBe(corpusConfigHash());
  });

  it('says which package to install when a corpus is missing', () => {
    try {
      corpusPackageRoot('radiomark-no-such-corpus');
      expect.unreachable();
    } catch (e) {
      expect(isRadiomarkError(e, 'CORPUS_MISSING')).toBe(true);
      expect((e as Error).message).toContain('npm install --save-dev radiomark-no-such-corpus');
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
