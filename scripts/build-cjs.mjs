/**
 * The CommonJS half of the dual build (run after tsc has written the ESM build and its declarations to dist/):
 * every module of src/ becomes dist/<path>.cjs with a source map pointing at the shipped src/ file, and every
 * declaration dist/<path>.d.ts gets a dist/<path>.d.cts twin. Relative specifiers move from .js to .cjs, so a
 * `require` graph stays CommonJS end to end and resolves drizzle-orm's own CommonJS build and types, the ones a
 * CommonJS project's `require('drizzle-orm')` gets (relying on Node's require(esm) instead would load drizzle-orm
 * twice and give TypeScript two incompatible copies of its types).
 *
 * Each file is compiled as a `.cts` under module NodeNext: TypeScript then emits CommonJS but keeps `import()` as a
 * real dynamic import, which the kit needs to load ESM config and schema files.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
// The command line is an ESM program (it uses import.meta); its bin entry loads dist/kit/cli.js.
const esmOnly = new Set(['kit/cli.ts']);

const relativeJs = /((?:\bfrom\s*|\bimport\s*|\brequire\(\s*|\bimport\(\s*)["'])(\.{1,2}\/[^"']+?)\.js(["'])/g;
const toCjs = (text) => text.replace(relativeJs, '$1$2.cjs$3');

function walk(folder) {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

let modules = 0;
for (const file of walk(src)) {
  const path = relative(src, file);
  if (!path.endsWith('.ts') || path.endsWith('.d.ts') || esmOnly.has(path)) continue;
  const out = join(dist, path.replace(/\.ts$/, '.cjs'));
  const { outputText, sourceMapText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file.replace(/\.ts$/, '.cts'),
    compilerOptions: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      esModuleInterop: true,
      verbatimModuleSyntax: false,
      sourceMap: true,
    },
  });
  const map = JSON.parse(sourceMapText);
  map.file = out.slice(dirname(out).length + 1);
  map.sources = [relative(dirname(out), file)];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, toCjs(outputText).replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${map.file}.map`));
  writeFileSync(`${out}.map`, JSON.stringify(map));
  modules++;
}

let declarations = 0;
for (const file of walk(dist)) {
  if (!file.endsWith('.d.ts')) continue;
  const out = file.replace(/\.d\.ts$/, '.d.cts');
  let text = toCjs(readFileSync(file, 'utf8'));
  text = text.replace(/\/\/# sourceMappingURL=(.*)\.d\.ts\.map/, '//# sourceMappingURL=$1.d.cts.map');
  writeFileSync(out, text);
  try {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    map.file = map.file.replace(/\.d\.ts$/, '.d.cts');
    writeFileSync(`${out}.map`, JSON.stringify(map));
  } catch {
    // A declaration without a map (none today) keeps none.
  }
  declarations++;
}

process.stdout.write(`build-cjs: ${modules} CommonJS modules, ${declarations} .d.cts declarations\n`);
