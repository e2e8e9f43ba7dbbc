/**
 * What the built package does at run time beyond its API: an error's stack trace, with --enable-source-maps, names
 * TypeScript files that the installed package contains (ESM and CommonJS builds); and on a Node.js older than the
 * engines range, importing or requiring any entry fails at once with a CrateRuntimeError naming the version needed.
 * The old Node.js is a real one: the first `node` on PATH or in /usr/bin whose version is below 22.22 (this machine's
 * system Node.js 20); without one that check reports itself skipped. Registered by tests/package.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unsupportedRuntime } from '../src/shared/node-version.js';
import { lineEntry, type Line } from './support/lines.js';

const root = resolve(import.meta.dirname, '..');

/**
 * The Node.js that runs the consumer projects' programs: this one, or PACKAGE_TEST_NODE (to check another supported
 * release, such as the oldest, 22.22).
 */
export const consumerNode = process.env.PACKAGE_TEST_NODE ?? process.execPath;

/** A Node.js binary older than 22.22, if the machine has one. */
function oldNode(): { path: string; version: string } | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node', ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'node'))]);
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const result = spawnSync(path, ['--version'], { encoding: 'utf8' });
    const version = result.stdout?.trim().replace(/^v/, '');
    if (version && unsupportedRuntime({ node: version })) return { path, version };
  }
  return undefined;
}

export function runtimeChecks(line: Line, dirs: () => { esm: string; cjs: string }): void {
  const entry = lineEntry(line);

  describe(`the built package at run time, drizzle-orm ${line}`, () => {
    for (const format of ['esm', 'cjs'] as const) {
      it(`maps an error's stack trace to TypeScript files the installed package ships (${format})`, () => {
        const dir = dirs()[format];
        const load = format === 'esm' ? `const { CrateClient } = await import('drizzle-cratedb/driver');` : `const { CrateClient } = require('drizzle-cratedb/driver');`;
        const file = format === 'esm' ? 'trace.mjs' : 'trace.cjs';
        writeFileSync(
          join(dir, file),
          `${format === 'esm' ? '' : '(async () => {'}${load}
try { new CrateClient({ severs: ['http://localhost:4200'] }); } catch (error) { console.log(JSON.stringify({ name: error.name, stack: error.stack })); }
${format === 'esm' ? '' : '})();'}`,
        );
        const out = JSON.parse(execFileSync(consumerNode, ['--enable-source-maps', '--preserve-symlinks', file], { cwd: dir, encoding: 'utf8' }));
        expect(out.name).toBe('CrateConfigError');
        const frames = [...(out.stack as string).matchAll(/\(?((?:file:\/\/)?\/[^()\s]*node_modules\/drizzle-cratedb\/[^():\s]+):\d+:\d+\)?/g)].map((match) =>
          match[1]!.replace(/^file:\/\//, ''),
        );
        expect(frames.length).toBeGreaterThan(0);
        for (const frame of frames) {
          expect(frame).toMatch(/node_modules\/drizzle-cratedb\/src\/.+\.ts$/);
          expect(existsSync(frame), `${frame} is in the installed package`).toBe(true);
        }
      });
    }

    it('knows which runtimes it checks', () => {
      expect(unsupportedRuntime({ node: '20.20.2' })).toContain('needs Node.js 22.22+ or 24+');
      expect(unsupportedRuntime({ node: '20.20.2' })).toContain('this is Node.js 20.20.2');
      expect(unsupportedRuntime({ node: '22.21.1' })).toBeDefined();
      expect(unsupportedRuntime({ node: '22.22.0' })).toBeUndefined();
      expect(unsupportedRuntime({ node: '23.11.0' })).toBeUndefined();
      expect(unsupportedRuntime({ node: '24.0.0' })).toBeUndefined();
      // Bun and Deno report their Node.js compatibility version; fetch-only runtimes have no process at all.
      expect(unsupportedRuntime({ node: '20.0.0', bun: '1.2.0' })).toBeUndefined();
      expect(unsupportedRuntime({ node: '20.0.0', deno: '2.1.0' })).toBeUndefined();
      expect(unsupportedRuntime(undefined)).toBeUndefined();
    });

    const old = oldNode();
    it.skipIf(!old)(`on Node.js ${old?.version ?? '< 22.22 [SKIPPED: no such Node.js on this machine]'}, every entry of the exports map fails at import and at require with the version needed`, () => {
      // Every entry of the exports map: the check runs before anything else. On 0.45 the v1 validator entries are
      // left out: their imports of drizzle-orm 1.x subpaths (drizzle-orm/zod) cannot even be resolved there.
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      const entries = Object.keys(manifest.exports)
        .filter((key) => key !== './package.json' && (line === 'v1' || !key.startsWith('./v1/')))
        .map((key) => `drizzle-cratedb${key.slice(1)}`);
      expect(entries).toContain(entry);
      expect(entries.length).toBeGreaterThanOrEqual(line === 'v1' ? 10 : 6);
      const { esm, cjs } = dirs();
      writeFileSync(
        join(esm, 'old.mjs'),
        `const out = [];\nfor (const name of ${JSON.stringify(entries)}) await import(name).then(() => out.push('loaded'), (error) => out.push(error.name + ': ' + error.message));\nconsole.log(JSON.stringify(out));`,
      );
      writeFileSync(
        join(cjs, 'old.js'),
        `const out = [];\nfor (const name of ${JSON.stringify(entries)}) { try { require(name); out.push('loaded'); } catch (error) { out.push(error.name + ': ' + error.message); } }\nconsole.log(JSON.stringify(out));`,
      );
      for (const [dir, file] of [[esm, 'old.mjs'], [cjs, 'old.js']] as const) {
        const results = JSON.parse(execFileSync(old!.path, ['--preserve-symlinks', file], { cwd: dir, encoding: 'utf8' })) as string[];
        expect(results).toHaveLength(entries.length);
        for (const result of results) expect(result).toBe(`CrateRuntimeError: ${unsupportedRuntime({ node: old!.version })}`);
      }
      // The command line too: its first line of output says what is needed.
      const cli = spawnSync(old!.path, [join(esm, 'node_modules', 'drizzle-cratedb', 'dist', 'kit', 'cli.js'), '--help'], { encoding: 'utf8' });
      expect(cli.status).not.toBe(0);
      expect(cli.stderr).toContain(`CrateRuntimeError: drizzle-cratedb needs Node.js 22.22+ or 24+`);
    });
  });
}
