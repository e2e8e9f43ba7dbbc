/**
 * The README's TypeScript examples are code: each block is type-checked against the package here, and run against a
 * real CrateDB in the integration part (in a schema of its own, which is dropped afterwards). A block belongs to the
 * Drizzle line of the entry it imports: `drizzle-cratedb/v1` to v1, `drizzle-cratedb` to 0.45; a block that imports
 * neither (only the driver, kit or migrator) runs on both.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { CrateClient } from '../src/driver/index.js';
import { toQueryResult } from '../src/drizzle-common/query-result.js';
import { crateUrl, describeCrate, uniqueName } from './support/crate.js';
import { currentLine, type Line } from './support/lines.js';

const root = resolve(import.meta.dirname, '..');
const line = currentLine();
// Under tests/.readme, which both tsconfigs exclude: the blocks of one line do not type-check on the other.
const outDir = join(root, 'tests', '.readme', line);

/** The line a block is written for, from the entry it imports; undefined for both. */
function lineOf(code: string): Line | undefined {
  if (/from 'drizzle-cratedb\/v1(\/[a-z]+)?'/.test(code)) return 'v1';
  if (/from 'drizzle-cratedb'/.test(code)) return '0.45';
  return undefined;
}

/**
 * Each ```ts block of the README, importing the package from src/. A block right after a
 * `<!-- readme-test: typecheck-only ... -->` comment is type-checked but not run.
 */
function readmeBlocks(): { name: string; code: string; run: boolean; line: Line | undefined }[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/(<!-- readme-test: typecheck-only[^>]*-->\s*)?```ts\n([\s\S]*?)```/g)].map((match, i) => ({
    name: `block-${String(i + 1).padStart(2, '0')}`,
    run: match[1] === undefined,
    line: lineOf(match[2]!),
    code: `${dedent(match[2]!)}\nexport {};\n`,
  }));
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
  return readmeBlocks()
    .filter((block) => block.line === undefined || block.line === line)
    .map(({ name, code, run }) => {
      const file = join(outDir, `${name}.ts`);
      writeFileSync(file, transform(code));
      return { file, run };
    });
}

describe('README examples', () => {
  it('each line has its own examples, and every example belongs to a line or to both', () => {
    const blocks = readmeBlocks();
    expect(blocks.filter((block) => block.line === '0.45').length).toBeGreaterThanOrEqual(10);
    expect(blocks.filter((block) => block.line === 'v1').length).toBeGreaterThanOrEqual(2);
  });

  it(`type-check against the package on Drizzle ${line}`, () => {
    const files = writeBlocks().map((block) => block.file);
    expect(files.length).toBeGreaterThanOrEqual(2);
    const tsconfig = line === 'v1' ? 'tsconfig.v1.json' : 'tsconfig.json';
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

/** The text of a `## ` section, up to the next one. */
function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README section ${heading}`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('README statements that code can check', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('the error table lists every error code the package has', () => {
    const source = readFileSync(join(root, 'src/shared/errors.ts'), 'utf8');
    const union = /export type CrateErrorCode =([\s\S]*?);$/m.exec(source)![1]!;
    const codes = [...union.matchAll(/'(CRATE_ERR_[A-Z_]+)'/g)].map((match) => match[1]!);
    expect(codes.length).toBeGreaterThanOrEqual(12);
    const table = /\| code \| class \| when \|\n((?:\|.*\n)+)/.exec(readme)![1]!;
    const listed = new Set([...table.matchAll(/`(CRATE_ERR_[A-Z_]+)`/g)].map((match) => match[1]!));
    expect(codes.filter((code) => !listed.has(code))).toEqual([]);
  });

  it("db.execute()'s result is described with the keys it has", () => {
    const keys = Object.keys(toQueryResult({ cols: [], colTypes: [], rows: [], rowCount: 0, duration: 0 }));
    const described = `{ ${keys.join(', ')} }`;
    expect(described).toBe('{ rows, rowCount, cols, duration }');
    expect(section(readme, 'Queries')).toContain(`\`db.execute(sql\\\`...\\\`)\`, which resolves to \`${described}\``);
  });

  it('each Quick start drops the tables it creates, so running it leaves nothing behind', () => {
    const blocks = [...section(readme, 'Quick start').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
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
    const install = section(readme, 'Install');
    expect(install).toContain('npm ci && npm run build && npm pack');
    const tarballs = [...install.matchAll(/drizzle-cratedb-[\w.-]+?\.tgz/g)].map((match) => match[0]);
    expect(tarballs.length).toBeGreaterThan(0);
    expect(new Set(tarballs)).toEqual(new Set([`${name}-${version}.tgz`]));
  });
});

describeCrate('README examples on a real CrateDB', () => {
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
