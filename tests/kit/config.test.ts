/**
 * Loading drizzle.config.ts and schema files when tsx, an optional peer dependency, is not installed: Node's own type
 * stripping loads what it can, and what it cannot fails with a CrateRuntimeError that says to install tsx.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule, type TypeScriptLoading } from '../../src/kit/config.js';
import { CrateRuntimeError } from '../../src/shared/errors.js';

const notInstalled = (): Promise<never> => Promise.reject(Object.assign(new Error("Cannot find package 'tsx'"), { code: 'ERR_MODULE_NOT_FOUND' }));

describe('importModule without tsx', () => {
  it('asks for tsx, saying why, when this Node.js does not strip types', async () => {
    const loading: TypeScriptLoading = { tsx: notInstalled, nodeStripsTypes: false };
    const error = await importModule('/project/drizzle.config.ts', loading).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateRuntimeError);
    expect((error as CrateRuntimeError).code).toBe('CRATE_ERR_RUNTIME');
    expect((error as Error).message).toBe(
      '/project/drizzle.config.ts is TypeScript and tsx is not installed; this Node.js does not strip types itself. ' +
        "drizzle-cratedb's CLI loads TypeScript config and schema files with tsx, an optional peer dependency: run `npm install --save-dev tsx`",
    );
  });

  it('asks for tsx for a .tsx file, which Node.js does not load', async () => {
    const loading: TypeScriptLoading = { tsx: notInstalled, nodeStripsTypes: true };
    await expect(importModule('/project/schema.tsx', loading)).rejects.toThrow(/schema\.tsx is TypeScript and tsx is not installed; Node\.js does not load \.tsx files itself\. .*npm install --save-dev tsx/);
  });

  it('says so when tsx is installed but fails to load', async () => {
    const loading: TypeScriptLoading = { tsx: () => Promise.reject(new Error('esbuild is broken')), nodeStripsTypes: true };
    const error = await importModule('/project/drizzle.config.ts', loading).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateRuntimeError);
    expect((error as Error).message).toBe('tsx is installed but could not be loaded: esbuild is broken');
  });
});

/**
 * The CLI as a user without tsx runs it: bundled (tsx left out) into a folder outside this repository, where no
 * node_modules has tsx, and run by a plain Node.js.
 */
describe('the CLI without tsx installed', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kit-no-tsx-'));
    await build({
      entryPoints: [resolve(import.meta.dirname, '../../src/kit/cli.ts')],
      outfile: join(dir, 'cli.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['tsx', 'tsx/*'],
      // The package's sideEffects list names dist/ files; keep the src/ imports it means (node-version, register-undici).
      ignoreAnnotations: true,
      logLevel: 'error',
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]) => {
    const result = spawnSync(process.execPath, [join(dir, 'cli.mjs'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' } });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  it('runs where tsx cannot be found', () => {
    expect(() => createRequire(join(dir, 'cli.mjs')).resolve('tsx')).toThrow(/Cannot find module 'tsx'/);
  });

  it('loads a .mjs config', () => {
    writeFileSync(join(dir, 'drizzle.config.mjs'), "export default { dialect: 'cratedb', schema: './schema.ts', out: './drizzle' };\n");
    expect(cli('check', '--config', 'drizzle.config.mjs')).toMatchObject({ status: 0, output: expect.stringContaining("0 migrations in ./drizzle: everything's fine") });
  });

  it.skipIf(!process.features.typescript)("loads a plain drizzle.config.ts with Node.js's own type stripping", () => {
    writeFileSync(join(dir, 'plain.config.ts'), "const out: string = './drizzle';\nexport default { dialect: 'cratedb' as const, schema: './schema.ts', out };\n");
    expect(cli('check', '--config', 'plain.config.ts')).toMatchObject({ status: 0, output: expect.stringContaining("0 migrations in ./drizzle: everything's fine") });
  });

  it('fails on a config that type stripping cannot load, saying to install tsx and why', () => {
    writeFileSync(join(dir, 'enum.config.ts'), "enum Out { Default = './drizzle' }\nexport default { dialect: 'cratedb', schema: './schema.ts', out: Out.Default };\n");
    const { status, output } = cli('check', '--config', 'enum.config.ts');
    expect(status).toBe(1);
    expect(output).toContain(`Error: ${join(dir, 'enum.config.ts')} is TypeScript and tsx is not installed; `);
    expect(output).toContain("drizzle-cratedb's CLI loads TypeScript config and schema files with tsx, an optional peer dependency: run `npm install --save-dev tsx`");
  });

  it('fails on a schema file that type stripping cannot load, naming it', () => {
    writeFileSync(join(dir, 'drizzle.config.mjs'), "export default { dialect: 'cratedb', schema: './schema.ts', out: './drizzle' };\n");
    // Imported without its extension, as TypeScript allows and Node.js does not.
    writeFileSync(join(dir, 'schema.ts'), "export * from './tables';\n");
    writeFileSync(join(dir, 'tables.ts'), 'export const names: string[] = [];\n');
    const { status, output } = cli('generate', '--config', 'drizzle.config.mjs');
    expect(status).toBe(1);
    expect(output).toContain(`Error: ${join(dir, 'schema.ts')} is TypeScript and tsx is not installed; Node.js's own type stripping could not load it: Cannot find module`);
    expect(output).toContain('run `npm install --save-dev tsx`');
  });
});
