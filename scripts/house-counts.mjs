// Layout counts for issue #12 (run: node scripts/house-counts.mjs [repo-dir]): .ts files in
// src/ (and directly in src/), names exported by the root entry, longest functions.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const repo = process.argv[2] ?? '.';
const srcDir = join(repo, 'src');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.ts')) files.push(path);
  }
};
walk(srcDir);

const program = ts.createProgram([join(srcDir, 'index.ts')], {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();
const rootSymbol = checker.getSymbolAtLocation(program.getSourceFile(join(srcDir, 'index.ts')));
const rootExports = checker.getExportsOfModule(rootSymbol);
const values = rootExports.filter((e) => {
  const s = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
  return s.flags & ts.SymbolFlags.Value;
});

const functions = [];
for (const file of files) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name?.getText(sf) ?? '(anonymous)';
      functions.push({ lines: end - start + 1, where: `${relative(repo, file)}:${start + 1} ${name}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
functions.sort((a, b) => b.lines - a.lines);

console.log(`src .ts files: ${files.length} (directly in src/: ${files.filter((f) => relative(srcDir, f).indexOf('/') < 0).length})`);
console.log(`root exports: ${rootExports.length} names (${values.length} values)`);
console.log(`functions over 40 lines: ${functions.filter((f) => f.lines > 40).length}`);
for (const f of functions.slice(0, 8)) console.log(`  ${String(f.lines).padStart(4)}  ${f.where}`);
