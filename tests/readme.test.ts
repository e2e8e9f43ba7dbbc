/**
 * The TypeScript examples of the README and of every page of docs/ are code: each block is type-checked against the
 * package here, and run against a real CrateDB in the integration part (in a schema of its own, which is dropped
 * afterwards). A block belongs to the Drizzle line of the entry it imports: `drizzle-cratedb/v1` to v1,
 * `drizzle-cratedb` to 0.45; a block that imports neither (only the driver, kit or migrator) runs on both. Blocks are
 * named by their page and position (`docs-schema-03`), so a failure says which page and block.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { CrateClient } from '../src/driver/index.js';
import { toQueryResult } from '../src/dialect/query-result.js';
import { crateUrl, describeCrate, uniqueName } from './support/crate.js';
import { DEFAULT_LINE, LINES, lineById, lineFiles, specifier } from '../src/lines/manifest.js';
import { currentLine, type Line } from './support/lines.js';

const root = resolve(import.meta.dirname, '..');
const line = currentLine();
// Under tests/.readme, which both tsconfigs exclude: the blocks of one line do not type-check on the other.
const outDir = join(root, 'tests', '.readme', line);

/** README.md, then every page of docs/ by name: the path from the root, and the text. */
function pages(): { file: string; text: string }[] {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort() : [];
  return ['README.md', ...docs.map((name) => `docs/${name}`)].map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
}

/** The line a block is written for, from the entry it imports (a line's own, or the default line's); undefined for all. */
function blockLine(code: string): Line | undefined {
  const own = LINES.find((line) => line.entry.subpath !== '.' && new RegExp(`from '${specifier(line.entry.subpath)}(/[a-z]+)?'`).test(code));
  if (own !== undefined) return own.id;
  if (/from 'drizzle-cratedb'/.test(code)) return DEFAULT_LINE;
  return undefined;
}

/**
 * Each ```ts block of the README and the docs, importing the package from src/, named after its page
 * (`README-01`, `docs-schema-03`). A block right after a `<!-- readme-test: typecheck-only ... -->` comment is
 * type-checked but not run.
 */
function docBlocks(): { name: string; code: string; run: boolean; line: Line | undefined }[] {
  return pages().flatMap(({ file, text }) =>
    [...text.matchAll(/(<!-- readme-test: typecheck-only[^>]*-->\s*)?```ts\n([\s\S]*?)```/g)].map((match, i) => ({
      name: `${file.replace(/\.md$/, '').replaceAll('/', '-')}-${String(i + 1).padStart(2, '0')}`,
      run: match[1] === undefined,
      line: blockLine(match[2]!),
      code: `${dedent(match[2]!)}\nexport {};\n`,
    })),
  );
}

/** Blocks inside list items are indented; remove the common indentation. */
function dedent(code: string): string {
  const indents = code.split('\n').filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const common = Math.min(...indents);
  return code.split('\n').map((line) => line.slice(common)).join('\n');
}

/** Writes this line's blocks to outDir. */
function writeBlocks(transform: (code: string) => string = (code) => code): { file: string; run: boolean }[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return docBlocks()
    .filter((block) => block.line === undefined || block.line === line)
    .map(({ name, code, run }) => {
      const file = join(outDir, `${name}.ts`);
      writeFileSync(file, transform(code));
      return { file, run };
    });
}

describe('README and docs examples', () => {
  it('each line has its own examples, and every example belongs to a line or to both', () => {
    const blocks = docBlocks();
    expect(blocks.filter((block) => block.line === '0.45').length).toBeGreaterThanOrEqual(21);
    expect(blocks.filter((block) => block.line === 'v1').length).toBeGreaterThanOrEqual(4);
    expect(blocks.filter((block) => block.line === undefined).length).toBeGreaterThanOrEqual(3);
    expect(new Set(blocks.map((block) => block.name)).size).toBe(blocks.length);
  });

  it(`type-check against the package on Drizzle ${line}`, () => {
    const files = writeBlocks().map((block) => block.file);
    expect(files.length).toBeGreaterThanOrEqual(2);
    const tsconfig = lineFiles(lineById(line)).tsconfig;
    const config = ts.getParsedCommandLineOfConfigFile(join(root, tsconfig), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram(files, { ...config.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && d.file.fileName.startsWith(outDir));
    const messages = diagnostics.map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${d.file!.fileName.slice(outDir.length + 1)}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
  }, 60_000);
});

/** A page's headings outside code blocks, with their level and their GitHub anchor. */
function headings(text: string): { level: number; title: string; anchor: string; offset: number }[] {
  const found: { level: number; title: string; anchor: string; offset: number }[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  let offset = 0;
  for (const textLine of text.split('\n')) {
    if (/^\s*```/.test(textLine)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6}) (.+)$/.exec(textLine);
    if (heading) {
      const base = heading[2]!.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replaceAll(' ', '-');
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      found.push({ level: heading[1]!.length, title: heading[2]!, anchor: count === 0 ? base : `${base}-${count}`, offset });
    }
    offset += textLine.length + 1;
  }
  return found;
}

/** The text under a heading of the README or a docs page, up to the next heading of its level or above. */
function section(title: string): string {
  for (const { text } of pages()) {
    const all = headings(text);
    const index = all.findIndex((heading) => heading.title === title);
    if (index === -1) continue;
    const next = all.slice(index + 1).find((heading) => heading.level <= all[index]!.level);
    return text.slice(all[index]!.offset, next?.offset);
  }
  expect.fail(`no page has a section "${title}"`);
}

/** Markdown links outside code blocks and inline code. */
function links(text: string): string[] {
  const prose = text.replace(/^\s*```[\s\S]*?^\s*```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

describe('README and docs statements that code can check', () => {
  it('the error table lists every error code the package has', () => {
    const source = readFileSync(join(root, 'src/shared/errors.ts'), 'utf8');
    const union = /export type CrateErrorCode =([\s\S]*?);$/m.exec(source)![1]!;
    const codes = [...union.matchAll(/'(CRATE_ERR_[A-Z_]+)'/g)].map((match) => match[1]!);
    expect(codes.length).toBeGreaterThanOrEqual(12);
    const tables = pages().flatMap(({ text }) => [...text.matchAll(/\| code \| class \| when \|\n((?:\|.*\n)+)/g)].map((match) => match[1]!));
    expect(tables.length).toBe(1);
    const listed = new Set([...tables[0]!.matchAll(/`(CRATE_ERR_[A-Z_]+)`/g)].map((match) => match[1]!));
    expect(codes.filter((code) => !listed.has(code))).toEqual([]);
  });

  it("db.execute()'s result is described with the keys it has", () => {
    const keys = Object.keys(toQueryResult({ cols: [], colTypes: [], rows: [], rowCount: 0, duration: 0 }));
    const described = `{ ${keys.join(', ')} }`;
    expect(described).toBe('{ rows, rowCount, cols, duration }');
    expect(section('Queries')).toContain(`\`db.execute(sql\\\`...\\\`)\`, which resolves to \`${described}\``);
  });

  it('each Quick start drops the tables it creates, so running it leaves nothing behind', () => {
    const blocks = [...section('Quick start').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBe(2);
    const tables = (code: string, call: string) =>
      [...code.matchAll(new RegExp(`${call}\\(db, \\[([^\\]]*)\\]\\)`, 'g'))].flatMap((match) => match[1]!.split(',').map((name) => name.trim()));
    for (const code of blocks) {
      expect(tables(code, 'createTables').length).toBeGreaterThan(0);
      expect(tables(code, 'dropTables').sort()).toEqual(tables(code, 'createTables').sort());
    }
  });

  it('the install before the first release names the tarball npm pack writes', () => {
    const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    const install = section('Install');
    expect(install).toContain('npm ci && npm run build && npm pack');
    const tarballs = [...install.matchAll(/drizzle-cratedb-[\w.-]+?\.tgz/g)].map((match) => match[0]);
    expect(tarballs.length).toBeGreaterThan(0);
    expect(new Set(tarballs)).toEqual(new Set([`${name}-${version}.tgz`]));
  });

  it('every link between the README and the docs names a page and a heading that exist', () => {
    const broken: string[] = [];
    for (const { file, text } of pages()) {
      for (const link of links(text)) {
        if (/^[a-z]+:/.test(link)) continue;
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(root, file) : resolve(root, dirname(file), path);
        if (!existsSync(target)) {
          broken.push(`${file}: ${link} (no such file)`);
          continue;
        }
        if (anchor === undefined) continue;
        if (!target.endsWith('.md') || !headings(readFileSync(target, 'utf8')).some((heading) => heading.anchor === anchor)) {
          broken.push(`${file}: ${link} (no heading #${anchor} in ${relative(root, target)})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README links every page of docs/', () => {
    const linked = new Set(links(readFileSync(join(root, 'README.md'), 'utf8')).map((link) => link.split('#')[0]));
    expect(pages().map(({ file }) => file).filter((file) => file !== 'README.md' && !linked.has(file))).toEqual([]);
  });
});

describeCrate('README and docs examples on a real CrateDB', () => {
  const schema = uniqueName('readme');
  const url = new URL(crateUrl ?? 'http://localhost:4200');
  const target = `crate://${url.host}/?schema=${schema}`;

  afterAll(async () => {
    rmSync(join(root, 'tests', '.readme'), { recursive: true, force: true });
    const client = new CrateClient(crateUrl!);
    const tables = await client.sql('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    for (const [name] of tables.rows) await client.sql(`DROP TABLE IF EXISTS "${schema}"."${String(name)}"`);
    await client.close();
  });

  it('run', async () => {
    // Point the examples at the test server, in a schema of their own; tables they create there are dropped after.
    // A block that ends by calling main() (the Quick start's form, which runs in CommonJS projects too) is awaited.
    const blocks = writeBlocks((code) =>
      code
        .replace(/^main\(\);$/m, 'await main();')
        .replaceAll("servers: ['http://localhost:4200']", `servers: ['${url.origin}'], schema: '${schema}'`)
        .replaceAll("process.env.CRATEDB_URL ?? 'http://localhost:4200'", `'${target}'`)
        // The fetch transport's example takes no schema (fetch refuses one) and reads only sys tables.
        .replaceAll("process.env.CRATEDB_URL ?? 'http://127.0.0.1:4200'", `'${url.origin}'`)
        .replaceAll("'http://localhost:4200'", `'${target}'`),
    );
    for (const { file } of blocks.filter((block) => block.run)) {
      await import(file).catch((error: unknown) => {
        throw new Error(`${file.slice(outDir.length + 1)} failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }, 120_000);
});
