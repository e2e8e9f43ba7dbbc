/**
 * Each entry point serves one Drizzle line. Importing the wrong one must say so, not fail with a stack of
 * `undefined` errors: the entry's first import is its line's bridge module, which calls this before anything that
 * needs the line is evaluated. Only `drizzle-orm/version` is read, which both lines have; the line is decided by
 * `lineOf`, the rule the kit uses too.
 */
import { compatibilityVersion, npmVersion } from 'drizzle-orm/version';
import { CrateDrizzleLineError } from '../shared/errors.js';
import { LINES, lineById, lineOf, npmRange, specifier, type LineId } from '../lines/manifest.js';

export type DrizzleLine = LineId;

/** The line of the installed drizzle-orm, or undefined for one no entry serves. */
export function installedLine(): LineId | undefined {
  return lineOf({ npmVersion: String(npmVersion), compatibilityVersion: Number(compatibilityVersion) })?.id;
}

export function assertDrizzleLine(id: LineId): void {
  const installed = installedLine();
  if (installed === id) return;
  const line = lineById(id);
  const entry = (of: LineId) => `'${specifier(lineById(of).entry.subpath)}'`;
  const advice =
    installed === undefined
      ? `drizzle-cratedb supports drizzle-orm ${LINES.map((each) => npmRange(each.packages['drizzle-orm'])).join(' or ')}; install one of them`
      : `import from ${entry(installed)} instead`;
  throw new CrateDrizzleLineError(
    `${entry(id)} serves drizzle-orm ${line.packages['drizzle-orm'].label}, but drizzle-orm ${String(npmVersion)} is installed: ${advice}`,
  );
}
