/**
 * Writes what src/lines/manifest.ts decides into the files that cannot read it: package.json (`exports`,
 * `sideEffects`, the drizzle-orm and drizzle-seed peer ranges, the per-line npm scripts), each line's tsconfig and
 * build tsconfig, and each line's vitest config. Everything else in those files is kept as it is, keys in place.
 *
 *   node scripts/sync-lines.ts          write the files (npm run sync:lines)
 *   node scripts/sync-lines.ts --check  write nothing; name each file out of date and exit 1
 *
 * Run by Node's type stripping, hence the .ts import specifier.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEFAULT_LINE,
  LINES,
  SIDE_EFFECT_MODULES,
  developmentEntries,
  devAliases,
  lineFiles,
  npmRange,
  publicEntries,
  type DrizzleLine,
  type Entry,
} from '../src/lines/manifest.ts';

const root = resolve(import.meta.dirname, '..');
const COMMAND = 'npm run sync:lines';

/** Runtimes without Node's sockets, in the order bundlers should try them; each gets the portable module. */
const PORTABLE_CONDITIONS = ['workerd', 'worker', 'edge-light', 'browser', 'bun', 'deno'];
/** The repository's own code outside src/ and tests/, type-checked once, on the default line. */
const TOOLING = ['bench', 'examples', 'drizzle.config.ts', 'vitest.config.ts'];
/** Never type-checked: the README's code blocks, which tests/readme.test.ts extracts and checks on their own line. */
const ALWAYS_EXCLUDED = ['tests/.readme'];
/** The build's compiler options on top of the line's tsconfig. */
const BUILD_OPTIONS = { noEmit: false, outDir: 'dist', rootDir: 'src', declarationMap: true };

type Json = Record<string, unknown>;

const dist = (module: string, extension: string) => `./dist/${module.replace(/\.ts$/, extension)}`;

function exportsOf(entry: Entry): Json {
  const node = entry.node ?? entry.source;
  const target = (module: string) => ({ types: dist(node, '.d.ts'), default: dist(module, '.js') });
  return {
    ...(entry.portable === undefined ? {} : Object.fromEntries(PORTABLE_CONDITIONS.map((condition) => [condition, target(entry.portable!)]))),
    import: target(node),
    require: { types: dist(node, '.d.cts'), default: dist(node, '.cjs') },
  };
}

/** `typecheck`, `test` and one `test:<name>` per line; the other scripts are not the manifest's. */
function lineScripts(): Json {
  const run = (line: DrizzleLine) => (lineFiles(line).vitest === 'vitest.config.ts' ? 'vitest run' : `vitest run --config ${lineFiles(line).vitest}`);
  return {
    typecheck: LINES.map((line) => `tsc -p ${lineFiles(line).tsconfig} --noEmit`).join(' && '),
    test: ['npm run typecheck', ...LINES.map(run), 'vitest run --config vitest.fetch.config.ts'].join(' && '),
    ...Object.fromEntries(LINES.map((line) => [lineFiles(line).script, run(line)])),
  };
}

/** Sets `values` into `object`: existing keys keep their place, new ones go after the last key they share. */
function assignInPlace(object: Json, values: Json): Json {
  const keys = Object.keys(object);
  if (keys.length === 0) return { ...values };
  const last = keys.reduce((at, key, index) => (key in values ? index : at), keys.length - 1);
  const result: Json = {};
  keys.forEach((key, index) => {
    result[key] = key in values ? values[key] : object[key];
    if (index === last) for (const [name, value] of Object.entries(values)) if (!(name in object)) result[name] = value;
  });
  return result;
}

function packageJson(current: Json): Json {
  const entries = publicEntries();
  const exports: Json = Object.fromEntries(entries.map((entry) => [entry.subpath, exportsOf(entry)]));
  exports['./package.json'] = './package.json';
  const sideEffects = [
    ...SIDE_EFFECT_MODULES,
    ...entries.filter((entry) => entry.sideEffects).map((entry) => entry.node ?? entry.source),
  ].flatMap((module) => [dist(module, '.js'), dist(module, '.cjs')]);
  const peers = Object.fromEntries(
    (['drizzle-orm', 'drizzle-seed'] as const).map((name) => [name, LINES.map((line) => npmRange(line.packages[name])).join(' || ')]),
  );
  const main = LINES.find((line) => line.id === DEFAULT_LINE)!.entry;
  return assignInPlace(current, {
    main: dist(main.node ?? main.source, '.cjs'),
    module: dist(main.node ?? main.source, '.js'),
    types: dist(main.node ?? main.source, '.d.ts'),
    exports,
    sideEffects: [...new Set(sideEffects)],
    scripts: assignInPlace((current.scripts ?? {}) as Json, lineScripts()),
    peerDependencies: assignInPlace((current.peerDependencies ?? {}) as Json, peers),
  });
}

/** Where TypeScript finds a dev dependency's declarations, read from its exports map as TypeScript would. */
function declarationsOf(dev: string, subpath: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules', dev, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
  const target = manifest.exports?.[subpath] as { import?: { types?: string }; types?: string } | undefined;
  const types = target?.import?.types ?? target?.types;
  return types === undefined ? undefined : `./node_modules/${dev}/${types.replace(/^\.\//, '')}`;
}

function otherLines(line: DrizzleLine): DrizzleLine[] {
  return LINES.filter((other) => other !== line);
}

/** Another line's sources: its seam and its entry modules. */
function sourcesOf(line: DrizzleLine): string[] {
  return [`src/lines/${line.folder}`, `src/${line.entry.source}`, `src/${line.entry.portable}`];
}

function tsconfig(line: DrizzleLine, current: Json): Json {
  const paths: Json = {};
  for (const [name, dev] of Object.entries(devAliases(line))) {
    for (const subpath of ['.', './*']) {
      const types = declarationsOf(dev, subpath);
      if (types !== undefined) paths[subpath === '.' ? name : `${name}/*`] = [types];
    }
  }
  for (const [specifier, module] of developmentEntries(line)) paths[specifier] = [`./src/${module}`];
  const base = line.id === DEFAULT_LINE;
  return assignInPlace(base ? current : { extends: './tsconfig.json', ...current }, {
    compilerOptions: assignInPlace((current.compilerOptions ?? {}) as Json, { paths }),
    include: ['src', 'tests', ...(base ? TOOLING : [])],
    exclude: [...otherLines(line).flatMap((other) => [...sourcesOf(other), other.tests]), ...ALWAYS_EXCLUDED],
  });
}

/**
 * The default line's build emits all of src/ but the other lines; another line's build, its own entries and seam
 * (tsc emits the core they import again, the same JavaScript).
 */
function buildConfig(line: DrizzleLine): Json {
  const base = line.id === DEFAULT_LINE;
  return {
    extends: `./${lineFiles(line).tsconfig}`,
    compilerOptions: BUILD_OPTIONS,
    include: base ? ['src'] : [`src/${line.entry.source}`, `src/${line.entry.portable}`, `src/lines/${line.folder}`],
    exclude: base ? otherLines(line).flatMap(sourcesOf) : [],
  };
}

function vitestConfig(line: DrizzleLine): string {
  return [
    `// Generated by \`${COMMAND}\` from src/lines/manifest.ts; tests/support/line-config.ts says what a line's run is.`,
    "import { lineConfig } from './tests/support/line-config.js';",
    '',
    `/** The suite on drizzle-orm ${line.packages['drizzle-orm'].label}. */`,
    `export default lineConfig('${line.id}');`,
    '',
  ].join('\n');
}

const readJson = (file: string): Json => (existsSync(join(root, file)) ? (JSON.parse(readFileSync(join(root, file), 'utf8')) as Json) : {});
const json = (value: Json) => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file and its content. */
function generated(): Map<string, string> {
  const files = new Map<string, string>([['package.json', json(packageJson(readJson('package.json')))]]);
  for (const line of LINES) {
    const names = lineFiles(line);
    files.set(names.tsconfig, json(tsconfig(line, readJson(names.tsconfig))));
    files.set(names.build, json(buildConfig(line)));
    files.set(names.vitest, vitestConfig(line));
  }
  return files;
}

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [file, content] of generated()) {
  const path = join(root, file);
  if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
  stale.push(file);
  if (!check) writeFileSync(path, content);
}
if (check && stale.length > 0) {
  process.stderr.write(`${stale.map((file) => `${file} is out of date with src/lines/manifest.ts`).join('\n')}\nrun \`${COMMAND}\` to write it\n`);
  process.exit(1);
}
process.stdout.write(check ? 'sync-lines: every generated file is up to date\n' : `sync-lines: ${stale.length === 0 ? 'nothing to write' : `wrote ${stale.join(', ')}`}\n`);
