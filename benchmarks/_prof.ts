import { createWatermark, heldOutPrompts, loadOrTrainReferenceModel, seededRandom } from '../src/index.js';
import { InstrumentedSampler, seededKey } from './lib/harness.js';
const model = await loadOrTrainReferenceModel({ order: 4 });
const p = heldOutPrompts({ count: 1, promptTokens: 32, seed: 1 })[0];
const s = new InstrumentedSampler(model, 0.7);
for (const seeding of ['lefthash', 'selfhash'] as const) {
  const wm = createWatermark(seededKey({ window: seeding === 'lefthash' ? 2 : 4, seeding }, 1));
  let t0 = performance.now();
  s.generate(p, 200, wm, seededRandom(1));
  console.log(seeding, 'ms/step', (performance.now() - t0) / 200);
  const m = new Float32Array(model.vocabSize);
  t0 = performance.now();
  for (let i = 0; i < 200; i++) { m.fill(0); wm.bias(p, m); }
  console.log(' bias', (performance.now() - t0) / 200);
  t0 = performance.now();
  for (let i = 0; i < 200; i++) model.nextLogits(p, m);
  console.log(' nextLogits', (performance.now() - t0) / 200);
}
