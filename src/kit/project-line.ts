/**
 * Which drizzle-cratedb entry a project's code imports, from the drizzle-orm the project has installed: code the kit
 * writes (`pull`) must compile there. Read from drizzle-orm's package.json, so the kit never loads drizzle-orm.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type ProjectEntry = 'drizzle-cratedb' | 'drizzle-cratedb/v1';

/** The entry for the drizzle-orm found from `root`; the 0.45 entry when there is none (npm's `latest`). */
export function projectEntry(root: string): ProjectEntry {
  const version = installedDrizzleVersion(root);
  return version !== undefined && Number(version.split('.')[0]) >= 1 ? 'drizzle-cratedb/v1' : 'drizzle-cratedb';
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
