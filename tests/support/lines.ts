/**
 * The Drizzle lines the suite runs on, as src/lines/manifest.ts lists them: on each, `drizzle-orm` (and drizzle-seed)
 * resolve to the line's dev dependency and `drizzle-cratedb` to the line's entry everywhere, so the same test reads as
 * user code on every line. Each line's vitest config is tests/support/line-config.ts's `lineConfig(line)`.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { LINES, developmentEntries, devAliases, lineById, publicEntries, specifier, type LineId } from '../../src/lines/manifest.js';

export type Line = LineId;

const root = resolve(import.meta.dirname, '..', '..');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Module aliases for vitest: every `drizzle-cratedb` entry from src/ (the line's own under the unprefixed names, the
 * other lines' prefixed entries as they are), and the line's packages from its dev dependencies.
 */
export function lineAliases(line: Line): { find: RegExp; replacement: string }[] {
  const modules = new Map(publicEntries().map((entry) => [specifier(entry.subpath), entry.source]));
  for (const [name, module] of developmentEntries(lineById(line))) modules.set(name, module);
  const aliases = [...modules].map(([name, module]) => ({ find: new RegExp(`^${escape(name)}$`), replacement: resolve(root, 'src', module) }));
  for (const [name, dev] of Object.entries(devAliases(lineById(line)))) {
    aliases.push({ find: new RegExp(`^${escape(name)}(\\/.*)?$`), replacement: `${dev}$1` });
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

/** The import specifier of a line's entry: 'drizzle-cratedb', 'drizzle-cratedb/v1'. */
export function lineEntry(line: Line = currentLine()): string {
  return specifier(lineById(line).entry.subpath);
}

/** The entry of a line other than this one, whose import must fail on this line's drizzle-orm. */
export function otherLineEntry(line: Line = currentLine()): string {
  return lineEntry(LINES.find((other) => other.id !== line)!.id);
}

/** The source entry of drizzle-cratedb for a line (for child processes, which vitest's aliases do not reach). */
export function sourceEntry(line: Line = currentLine()): string {
  return resolve(root, 'src', lineById(line).entry.source);
}

/**
 * Gives a scratch project the repository's packages, with the line's own under their names: every package linked
 * one by one, and `drizzle-orm` pointing at `drizzle-orm-v1` on the v1 line.
 */
export function linkNodeModules(project: string, line: Line = currentLine()): void {
  const target = join(project, 'node_modules');
  mkdirSync(target, { recursive: true });
  const source = join(root, 'node_modules');
  const packages = Object.entries(lineById(line).packages).map(([name, pkg]) => [name, pkg.dev] as const);
  for (const entry of readdirSync(source)) {
    if (entry === '.bin' || packages.some(([name]) => name === entry)) continue;
    symlinkSync(join(source, entry), join(target, entry), 'dir');
  }
  for (const [name, dev] of packages) symlinkSync(join(source, dev), join(target, name), 'dir');
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
 * Environment that gives a child process the line's packages: a resolve hook through NODE_OPTIONS (NODE_OPTIONS, not a
 * flag, so that it also reaches the process tsx starts) on a line whose packages are dev aliases, nothing otherwise.
 */
export function lineEnv(line: Line = currentLine()): Record<string, string> {
  const aliases = devAliases(lineById(line));
  if (Object.keys(aliases).length === 0) return {};
  const hook = `--import=${pathToFileURL(resolve(root, 'tests/support/line-hook.mjs')).href}`;
  return { NODE_OPTIONS: [process.env.NODE_OPTIONS, hook].filter(Boolean).join(' '), DRIZZLE_CRATEDB_LINE_PACKAGES: JSON.stringify(aliases) };
}
