/**
 * Each entry point serves one Drizzle line. Importing the wrong one must say so, not fail with a stack of
 * `undefined` errors: the entry's first import is its line's bridge module, which calls this before anything that
 * needs the line is evaluated. Only `drizzle-orm/version` is read, which both lines have.
 */
import { compatibilityVersion, npmVersion } from 'drizzle-orm/version';
import { CrateDrizzleLineError } from '../shared/errors.js';

export type DrizzleLine = '0.45' | 'v1';

/** drizzle-orm's `compatibilityVersion` per line: 10 for 0.45.x, 14 for 1.0.0-rc.1 and later. */
const COMPATIBILITY: Readonly<Record<DrizzleLine, (version: number) => boolean>> = {
  '0.45': (version) => version === 10,
  v1: (version) => version >= 14,
};

const ENTRY: Readonly<Record<DrizzleLine, string>> = { '0.45': "'drizzle-cratedb'", v1: "'drizzle-cratedb/v1'" };

/** The line of the installed drizzle-orm, or undefined for one neither entry serves. */
export function installedLine(): DrizzleLine | undefined {
  const version = Number(compatibilityVersion);
  return (Object.keys(COMPATIBILITY) as DrizzleLine[]).find((line) => COMPATIBILITY[line](version));
}

export function assertDrizzleLine(line: DrizzleLine): void {
  if (COMPATIBILITY[line](Number(compatibilityVersion))) return;
  const installed = installedLine();
  const advice =
    installed === undefined
      ? 'drizzle-cratedb supports drizzle-orm 0.45.x and 1.0.0-rc.5 or later; install one of them'
      : `import from ${ENTRY[installed]} instead`;
  throw new CrateDrizzleLineError(
    `${ENTRY[line]} serves drizzle-orm ${line === 'v1' ? '1.x' : '0.45.x'}, but drizzle-orm ${String(npmVersion)} is installed: ${advice}`,
  );
}
