/**
 * Which Drizzle line a project is on, from the drizzle-orm it has installed: code the kit writes (`pull`) must compile
 * there, and migrations go in that line's drizzle-kit layout. Read from drizzle-orm's package.json, so the kit never
 * loads drizzle-orm; the line is decided by `lineOf`, the rule the runtime guard uses too.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_LINE, lineById, lineOf, specifier, type DrizzleLine } from '../lines/manifest.js';

/** The import specifier of a line's entry: 'drizzle-cratedb', 'drizzle-cratedb/v1'. */
export type ProjectEntry = string;

/**
 * The line of the drizzle-orm found from `root`. The default line when there is none (npm's `latest`) or when no
 * line serves it: the code written still names an entry, and importing it says what to install.
 */
export function projectLine(root: string): DrizzleLine {
  return lineOf({ npmVersion: installedDrizzleVersion(root) }) ?? lineById(DEFAULT_LINE);
}

/** The entry the project's code imports. */
export function projectEntry(root: string): ProjectEntry {
  return specifier(projectLine(root).entry.subpath);
}

/** The version in the nearest node_modules/drizzle-orm, looking up from `root` as Node's resolution does. */
function installedDrizzleVersion(root: string): string | undefined {
  // drizzle-orm's exports map does not export package.json, so it is found on disk rather than resolved.
  for (let dir = root; ; dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'node_modules', 'drizzle-orm', 'package.json'), 'utf8')) as { version?: string }).version;
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}
