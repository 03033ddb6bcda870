import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The root API stays small (issue #12): at most 60 names from `radiomark` and
// `radiomark/core`, listed by name (no `export *`); the rest lives behind subpaths.
const MAX_ROOT_NAMES = 60;
const entry = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));
const ENTRIES = ['index.ts', 'core.ts'];
const SUBPATHS = ['stats', 'model', 'ledger', 'prf', 'suspects'];

function exportedNames(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    noResolve: false,
  });
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`cannot read the exports of ${file}`);
    names.set(
      file,
      checker.getExportsOfModule(symbol).map((s) => s.name),
    );
  }
  return names;
}

describe('root API', () => {
  const names = exportedNames(ENTRIES.map(entry));

  it.each(ENTRIES)(`src/%s exports between 20 and ${MAX_ROOT_NAMES} names`, (file) => {
    const list = names.get(entry(file)) ?? [];
    expect(list.length).toBeLessThanOrEqual(MAX_ROOT_NAMES);
    expect(list.length).toBeGreaterThanOrEqual(20); // what providers and investigators use is there
    for (const name of ['createWatermark', 'generateKey', 'ClosedModeTest', 'RadiomarkError', 'log10BinomialTail']) {
      expect(list).toContain(name);
    }
  });

  it('has no export * in the entry points and subpath indexes', () => {
    for (const file of [...ENTRIES, ...SUBPATHS.map((s) => `${s}/index.ts`)]) {
      const text = readFileSync(entry(file), 'utf8');
      expect(text, file).not.toMatch(/^\s*export\s*\*/m);
    }
  });

  it('declares every subpath in package.json exports', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    for (const sub of SUBPATHS) expect(Object.keys(pkg.exports)).toContain(`./${sub}`);
  });
});
