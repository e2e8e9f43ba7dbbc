/**
 * Imported first by every entry point, so that on a Node.js older than the package supports the import fails at
 * once with the version needed, rather than later inside undici with an unrelated TypeError. Bun and Deno report a
 * Node version of their own compatibility layer, and workers report none: the check is for Node.js alone.
 */
import { CrateRuntimeError } from './errors.js';

/** The oldest Node.js release of each supported major line (package.json `engines`: ^22.22.0 || >=24). */
export const MINIMUM_NODE = { major: 22, minor: 22 } as const;

/**
 * The problem with running on these `process.versions`, or undefined when there is none: only Node.js itself is
 * checked (Bun and Deno carry a `node` version of their compatibility layer, and workers have no `process`).
 */
export function unsupportedRuntime(versions: Readonly<Record<string, string | undefined>> | undefined): string | undefined {
  const version = versions?.node;
  if (!version || versions.bun !== undefined || versions.deno !== undefined) return undefined;
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (major > MINIMUM_NODE.major || (major === MINIMUM_NODE.major && minor >= MINIMUM_NODE.minor)) return undefined;
  return (
    `drizzle-cratedb needs Node.js ${MINIMUM_NODE.major}.${MINIMUM_NODE.minor}+ or 24+ (package.json "engines"); this is Node.js ${version}. ` +
    'Upgrade Node.js (https://nodejs.org/en/download).'
  );
}

const problem = unsupportedRuntime((globalThis as { process?: { versions?: Record<string, string | undefined> } }).process?.versions);
if (problem) throw new CrateRuntimeError(problem);
