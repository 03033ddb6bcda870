// The investigator page: load a key file, paste or drop a text, see the exact verdict and
// every token coloured by its status, then the account id the text carries (if the key can
// carry ids). No network: the CSP sets connect-src 'none'.
import './style.css';
import { isRadiomarkError, type DetectionResult } from '../../src/core.js';
import { type Dedup } from '../../src/detect/score-tape.js';
import { renderAccount, showAccountNote } from './account-view.js';
import { acceptFileDrop } from './file-drop.js';
import { readKeyFile, type LoadedKey } from './key-file.js';
import { startTokenizer } from './tokenizer.js';
import { renderTokens } from './token-view.js';
import { renderVerdict } from './verdict-view.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const keyInput = $<HTMLInputElement>('key-file');
const keyStatus = $('key-status');
const textArea = $<HTMLTextAreaElement>('text');
const promptArea = $<HTMLTextAreaElement>('prompt');
const alphaInput = $<HTMLInputElement>('alpha');
const dedupSelect = $<HTMLSelectElement>('dedup');
const elements = { verdict: $('verdict'), numbers: $('numbers'), warnings: $('warnings') };
const tokensView = $('tokens');
const accountLine = $('account');

let loaded: LoadedKey | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
/** Counts detection runs, so that a slow account decoding never overwrites a newer text's. */
let runs = 0;
const tokenizer = startTokenizer();

function showIdle(message: string, kind: 'idle' | 'error' = 'idle'): void {
  elements.verdict.className = `verdict ${kind}`;
  elements.verdict.textContent = message;
  elements.numbers.replaceChildren();
  elements.warnings.replaceChildren();
  tokensView.replaceChildren();
  showAccountNote(accountLine, 'empty');
}

async function loadKey(file: File): Promise<void> {
  try {
    loaded = await readKeyFile(file);
    keyStatus.textContent = loaded.summary;
    keyStatus.className = 'status ok';
  } catch (error) {
    loaded = undefined;
    keyStatus.textContent = isRadiomarkError(error) ? error.message : `Could not read the key file: ${String(error)}`;
    keyStatus.className = 'status error';
  }
  scheduleDetection(0);
}

async function detect(): Promise<void> {
  const run = ++runs;
  const text = textArea.value;
  if (!loaded) return showIdle(text ? 'Load the key file to test this text.' : 'Load a key and paste a text.');
  if (!text) return showIdle('Paste or drop the text to test.');
  const alpha = Number(alphaInput.value);
  if (!(alpha > 0 && alpha < 1)) return showIdle('α must be a number between 0 and 1, e.g. 1e-6.', 'error');
  elements.verdict.textContent = 'Reading…';
  await tokenizer;
  const prompt = promptArea.value;
  const options = { alpha, dedup: dedupSelect.value as Dedup, details: true, ...(prompt ? { prompt } : {}) };
  let result: DetectionResult;
  try {
    result = loaded.watermark.detectSpan(text, options);
  } catch (error) {
    if (!isRadiomarkError(error)) throw error;
    return showIdle(error.message, 'error');
  }
  renderVerdict(elements, result);
  renderTokens(tokensView, text, result.details ?? []);
  document.body.dataset.state = result.watermarked ? 'watermarked' : 'clean';
  await decodeAccount(run, loaded, text, alpha, prompt);
}

// The account id, after the verdict has been painted: with no significant id the decoder
// tries its whole budget of id prefixes (a few hundred milliseconds).
async function decodeAccount(run: number, key: LoadedKey, text: string, alpha: number, prompt: string): Promise<void> {
  showAccountNote(accountLine, 'pending', 'Decoding the account id…');
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  if (run !== runs) return;
  try {
    renderAccount(accountLine, key.watermark.decodeAccount(text, { alpha, ...(prompt ? { prompt } : {}) }));
  } catch (error) {
    if (!isRadiomarkError(error)) throw error;
    // Keys other than KGW with lefthash or minhash seeding carry no ids: a note, not an error.
    const note =
      error.code === 'UNSUPPORTED' ? `No account ids with this key: ${error.message}.` : `Account id not decoded: ${error.message}`;
    showAccountNote(accountLine, 'unsupported', note);
  }
}

function scheduleDetection(delay = 250): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    detect().catch((error: unknown) => showIdle(`Unexpected error: ${String(error)}`, 'error'));
  }, delay);
}

keyInput.addEventListener('change', () => {
  const file = keyInput.files?.[0];
  if (file) void loadKey(file);
});
acceptFileDrop($('key-drop'), (file) => void loadKey(file));
acceptFileDrop(textArea, (file) => {
  void file.text().then((text) => {
    textArea.value = text;
    scheduleDetection(0);
  });
});
for (const input of [textArea, promptArea, alphaInput]) input.addEventListener('input', () => scheduleDetection());
dedupSelect.addEventListener('change', () => scheduleDetection(0));
tokenizer.catch((error: unknown) => showIdle(`The tokenizer failed to start: ${String(error)}`, 'error'));
