// Layer rules for src/ (docs/ARCHITECTURE.md). Each folder is one layer; a module may import
// from its own layer and the layers listed before it, never from a later one.
const LAYERS = [
  'base',
  'prf',
  'stats',
  'key',
  'model',
  'schemes',
  'windows',
  'detect',
  'accounts',
  'watermark',
  'ledger',
  'radioactivity',
  'suspects',
  'evidence',
  'adapters',
  'demo',
  'node',
  'serve',
  'cli',
];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `src/${layer}/ may not import from a later layer (${LAYERS.slice(i + 1).join(', ')})`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'entry-points-on-top',
      comment: 'src/index.ts and src/core.ts are entry points: no layer imports them',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(index|core)\\.ts$' },
      to: { path: '^src/(index|core)\\.ts$' },
    },
    {
      name: 'core-is-browser-safe',
      comment: 'everything but node/, cli/ and the Node-only adapters must run in a browser: no node: imports',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(node|serve|cli)/|^src/index\\.ts$|^src/adapters/node-llama-cpp\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-entry-stays-off-node',
      comment: 'src/core.ts (radiomark/core) may not reach node/ or cli/',
      severity: 'error',
      from: { path: '^src/core\\.ts$' },
      to: { path: '^src/(node|cli)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.generated\\.ts$' },
  },
};
