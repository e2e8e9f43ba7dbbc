/**
 * The README's TypeScript examples are code: each block is type-checked against the package here, and run against a
 * real CrateDB in the integration part (in a schema of its own, which is dropped afterwards).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { CrateClient } from 'drizzle-cratedb';
import { crateUrl, describeCrate, uniqueName } from './support/crate.js';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'tests', '.readme');

/**
 * Each ```ts block of the README, importing the package from src/. A block right after a
 * `<!-- readme-test: typecheck-only ... -->` comment is type-checked but not run.
 */
function readmeBlocks(): { name: string; code: string; run: boolean }[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/(<!-- readme-test: typecheck-only[^>]*-->\s*)?```ts\n([\s\S]*?)```/g)].map((match, i) => ({
    name: `block-${String(i + 1).padStart(2, '0')}`,
    run: match[1] === undefined,
    code: `${dedent(match[2]!)
      .replaceAll("from 'drizzle-cratedb/kit'", "from '../../src/kit/index.js'")
      .replaceAll("from 'drizzle-cratedb/migrator'", "from '../../src/kit/migrator-entry.js'")
      .replaceAll("from 'drizzle-cratedb'", "from 'drizzle-cratedb'")}\nexport {};\n`,
  }));
}

/** Blocks inside list items are indented; remove the common indentation. */
function dedent(code: string): string {
  const indents = code.split('\n').filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const common = Math.min(...indents);
  return code.split('\n').map((line) => line.slice(common)).join('\n');
}

function writeBlocks(transform: (code: string) => string = (code) => code): { file: string; run: boolean }[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return readmeBlocks().map(({ name, code, run }) => {
    const file = join(outDir, `${name}.ts`);
    writeFileSync(file, transform(code));
    return { file, run };
  });
}

describe('README examples', () => {
  it('type-check against the package', () => {
    const files = writeBlocks().map((block) => block.file);
    expect(files.length).toBeGreaterThanOrEqual(10);
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram(files, { ...config.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && d.file.fileName.startsWith(outDir));
    const messages = diagnostics.map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${d.file!.fileName.slice(outDir.length + 1)}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
  }, 60_000);
});

describeCrate('README examples on a real CrateDB', () => {
  const schema = uniqueName('readme');
  const url = new URL(crateUrl ?? 'http://localhost:4200');
  const target = `crate://${url.host}/?schema=${schema}`;

  afterAll(async () => {
    rmSync(outDir, { recursive: true, force: true });
    const client = new CrateClient(crateUrl!);
    const tables = await client.sql('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    for (const [name] of tables.rows) await client.sql(`DROP TABLE IF EXISTS "${schema}"."${String(name)}"`);
    await client.close();
  });

  it('run', async () => {
    // Point the examples at the test server, in a schema of their own; tables they create there are dropped after.
    const blocks = writeBlocks((code) =>
      code
        .replaceAll("servers: ['http://localhost:4200']", `servers: ['${url.origin}'], schema: '${schema}'`)
        .replaceAll("process.env.CRATEDB_URL ?? 'http://localhost:4200'", `'${target}'`)
        .replaceAll("'http://localhost:4200'", `'${target}'`),
    );
    for (const { file } of blocks.filter((block) => block.run)) {
      await import(file).catch((error: unknown) => {
        throw new Error(`${file.slice(outDir.length + 1)} failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }, 120_000);
});
