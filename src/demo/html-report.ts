import { log10BinomialTail } from '../stats/index.js';
import type { Tokenizer } from '../key/tokenizer.js';
import type { DemoSample, DemoSummary } from './demo-experiment.js';

/** What the report needs besides the samples. */
export interface ReportContext {
  keyId: string;
  params: string;
  summary: DemoSummary;
  tokenizer: Tokenizer;
}

/**
 * A self-contained HTML page: the summary, then every sample with its tokens coloured by
 * status and its cumulative log10 p over the scored tokens. It reveals green lists, so it
 * says so at the top.
 *
 * @example
 * ```ts
 * writeFileSync('report.html', renderDemoReport(samples, { keyId, params, summary, tokenizer }));
 * ```
 */
export function renderDemoReport(samples: readonly DemoSample[], ctx: ReportContext): string {
  const s = ctx.summary;
  const rows = samples.map((sample, i) => renderSample(sample, i, ctx.tokenizer)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>radiomark demo report</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
.warning{background:#fff3cd;border:1px solid #e0b800;padding:.8em 1em;border-radius:6px}
.sample{border-top:1px solid #ddd;padding:1em 0}
.tokens{font-family:ui-monospace,monospace;white-space:pre-wrap;font-size:13px}
.g{background:#b7f0b1}.r{background:#f6c1c1}.p{color:#888}.d{background:#eee}.u{color:#888}
.prompt{color:#666}
table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #eee}
</style></head><body>
<h1>radiomark demo report</h1>
<p class="warning"><strong>For the key holder only.</strong> This report reveals which tokens are green under key
<code>${esc(ctx.keyId)}</code>. Anyone who sees many coloured tokens learns part of the green lists and can start to
forge or remove the watermark. Do not publish it.</p>
<table>
<tr><th>key</th><td><code>${esc(ctx.keyId)}</code> (${esc(ctx.params)})</td></tr>
<tr><th>true-positive rate</th><td>${s.tpr.toFixed(3)} of ${s.samples.watermarked} watermarked continuations at alpha ${s.alpha}</td></tr>
<tr><th>false-positive rate</th><td>${s.fpr.toFixed(3)} of ${s.samples.unwatermarked} unwatermarked continuations at alpha ${s.alpha}</td></tr>
<tr><th>median log10 p</th><td>watermarked ${s.medianLog10P.watermarked.toFixed(2)}, unwatermarked ${s.medianLog10P.unwatermarked.toFixed(2)}</td></tr>
<tr><th>tokens per second</th><td>generation ${s.tokensPerSecond.generationWatermarked} (watermark on), ${s.tokensPerSecond.generationPlain} (off); detection ${s.tokensPerSecond.detection}</td></tr>
</table>
<p>Colours: <span class="g">green</span>, <span class="r">red</span>, <span class="d">repeat (not scored)</span>,
<span class="p">window in the prompt (not scored)</span>. H0: the text was written independently of the key.</p>
${rows}
</body></html>
`;
}

const CLASS = { green: 'g', red: 'r', repeat: 'd', prompt: 'p', unscored: 'u' } as const;

function renderSample(sample: DemoSample, index: number, tokenizer: Tokenizer): string {
  const d = sample.detection;
  const tokens = (d.details ?? []).map((t) => `<span class="${CLASS[t.status]}">${esc(decodeOne(tokenizer, t.id))}</span>`).join('');
  return `<div class="sample"><h3>#${index + 1} ${sample.watermarked ? 'watermarked' : 'not watermarked'}:
${d.watermarked ? 'detected' : 'not detected'}, log10 p = ${d.log10PValue.toFixed(2)} (${d.green}/${d.scored} green)</h3>
<div class="tokens"><span class="prompt">${esc(sample.prompt)}</span>${tokens}</div>
${cumulativeChart(d.details ?? [], d.gamma)}</div>`;
}

function decodeOne(tokenizer: Tokenizer, id: number): string {
  return tokenizer.decode([id]);
}

// Inline SVG polyline of log10 p after each scored token.
function cumulativeChart(details: NonNullable<DemoSample['detection']['details']>, gamma: number): string {
  const points: number[] = [];
  let scored = 0;
  let green = 0;
  for (const t of details) {
    if (t.status !== 'green' && t.status !== 'red') continue;
    scored++;
    if (t.status === 'green') green++;
    points.push(log10BinomialTail(green, scored, gamma));
  }
  if (points.length < 2) return '';
  const width = 600;
  const height = 120;
  const low = Math.min(-6, ...points);
  const x = (i: number) => ((i / (points.length - 1)) * width).toFixed(1);
  const y = (v: number) => ((v / low) * height).toFixed(1);
  const line = points.map((v, i) => `${x(i)},${y(v)}`).join(' ');
  return `<svg width="${width + 60}" height="${height + 20}" viewBox="-50 -5 ${width + 60} ${height + 20}" role="img" aria-label="cumulative log10 p">
<text x="-48" y="8" font-size="10">0</text><text x="-48" y="${height}" font-size="10">${low.toFixed(0)}</text>
<line x1="0" x2="${width}" y1="${y(-6)}" y2="${y(-6)}" stroke="#c00" stroke-dasharray="4"/>
<text x="${width - 70}" y="${Number(y(-6)) - 3}" font-size="10" fill="#c00">log10 p = -6</text>
<polyline fill="none" stroke="#2a6" stroke-width="1.5" points="${line}"/></svg>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
