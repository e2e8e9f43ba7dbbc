/**
 * The two Drizzle lines the suite runs on. vitest.config.ts runs it on drizzle-orm 0.45 (the `drizzle-orm`
 * dev dependency); vitest.v1.config.ts on drizzle-orm 1.x (the `drizzle-orm-v1` alias), with `drizzle-orm` and
 * `drizzle-cratedb` resolved to that line everywhere, so the same test reads as user code on both.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';

export type Line = '0.45' | 'v1';

const root = resolve(import.meta.dirname, '..', '..');

/** Module aliases for vitest: `drizzle-cratedb` (and its subpaths) from src/, `drizzle-orm` from the line's package. */
export function lineAliases(line: Line): { find: RegExp; replacement: string }[] {
  const entry = line === 'v1' ? 'src/v1.ts' : 'src/index.ts';
  const aliases = [
    { find: /^drizzle-cratedb$/, replacement: resolve(root, entry) },
    { find: /^drizzle-cratedb\/v1$/, replacement: resolve(root, 'src/v1.ts') },
    { find: /^drizzle-cratedb\/v1\/(zod|valibot|typebox|arktype)$/, replacement: resolve(root, 'src/drizzle-v1/validators/$1.ts') },
    { find: /^drizzle-cratedb\/v1\/seed$/, replacement: resolve(root, 'src/drizzle-v1/seed.ts') },
    // The 0.45 entries of the validators and of seeding, read as the line's own on v1 (as `drizzle-cratedb` is).
    {
      find: /^drizzle-cratedb\/(zod|valibot|typebox|arktype)$/,
      replacement: resolve(root, line === 'v1' ? 'src/drizzle-v1/validators/$1.ts' : 'src/drizzle-045/validators/$1.ts'),
    },
    { find: /^drizzle-cratedb\/seed$/, replacement: resolve(root, line === 'v1' ? 'src/drizzle-v1/seed.ts' : 'src/drizzle-045/seed.ts') },
    { find: /^drizzle-cratedb\/driver$/, replacement: resolve(root, 'src/driver/index.ts') },
    { find: /^drizzle-cratedb\/kit$/, replacement: resolve(root, 'src/kit/index.ts') },
    { find: /^drizzle-cratedb\/migrator$/, replacement: resolve(root, 'src/kit/migrator-entry.ts') },
    { find: /^drizzle-cratedb\/testing$/, replacement: resolve(root, 'src/testing/index.ts') },
    { find: /^drizzle-cratedb\/otel$/, replacement: resolve(root, 'src/otel/index.ts') },
  ];
  if (line === 'v1') {
    aliases.push({ find: /^drizzle-orm(\/.*)?$/, replacement: 'drizzle-orm-v1$1' });
    // drizzle-seed's v1 line, as a user of Drizzle v1 installs it under its own name.
    aliases.push({ find: /^drizzle-seed$/, replacement: 'drizzle-seed-v1' });
  }
  return aliases;
}

/** The line this run is on (provided by the vitest config); for the few expectations that differ by line. */
export function currentLine(): Line {
  return inject('drizzleLine');
}

/** The value for the line this run is on. */
export function onLine<T>(values: Record<Line, T>): T {
  return values[currentLine()];
}

/** The source entry of drizzle-cratedb for a line (for child processes, which vitest's aliases do not reach). */
export function sourceEntry(line: Line = currentLine()): string {
  return resolve(root, line === 'v1' ? 'src/v1.ts' : 'src/index.ts');
}

/**
 * Gives a scratch project the repository's packages, with `drizzle-orm` being the line's: every package linked
 * one by one, and `drizzle-orm` pointing at `drizzle-orm-v1` on the v1 line.
 */
export function linkNodeModules(project: string, line: Line = currentLine()): void {
  const target = join(project, 'node_modules');
  mkdirSync(target, { recursive: true });
  const source = join(root, 'node_modules');
  for (const entry of readdirSync(source)) {
    if (entry === 'drizzle-orm' || entry === '.bin') continue;
    symlinkSync(join(source, entry), join(target, entry), 'dir');
  }
  symlinkSync(join(source, line === 'v1' ? 'drizzle-orm-v1' : 'drizzle-orm'), join(target, 'drizzle-orm'), 'dir');
}

/**
 * With VITEST_JSON set (`.ci/test-results-{line}.json`), each line's run also writes a JSON report, so CI can count
 * the tests of both runs.
 */
export function jsonReport(line: Line | 'fetch'): { reporters?: string[]; outputFile?: { json: string } } {
  const pattern = process.env.VITEST_JSON;
  if (!pattern) return {};
  return { reporters: ['default', 'json'], outputFile: { json: pattern.replace('{line}', line) } };
}

/**
 * Environment that gives a child process the line's drizzle-orm: a resolve hook through NODE_OPTIONS on the v1 line
 * (NODE_OPTIONS, not a flag, so that it also reaches the process tsx starts), nothing on 0.45.
 */
export function lineEnv(line: Line = currentLine()): Record<string, string> {
  if (line !== 'v1') return {};
  const hook = `--import=${pathToFileURL(resolve(root, 'tests/support/drizzle-v1-hook.mjs')).href}`;
  return { NODE_OPTIONS: [process.env.NODE_OPTIONS, hook].filter(Boolean).join(' ') };
}
