/**
 * Finds a CrateDB for tests/integration once per run with the package's own `drizzle-cratedb/testing`: CRATEDB_URL
 * if set, else a container of the official image started with testcontainers, else none. Without one the
 * integration suites skip, and this says so loudly.
 */
import type { TestProject } from 'vitest/node';
import { DEFAULT_CRATEDB_IMAGE, startCrateDB } from '../../src/testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    crateUrl: string | null;
    crateSource: string;
    /** The Drizzle line the run is on, provided by the vitest config. */
    drizzleLine: '0.45' | 'v1';
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!process.env.CRATEDB_URL && !wantsIntegration(project)) {
    project.provide('crateUrl', null);
    project.provide('crateSource', 'not needed');
    return async () => {};
  }
  try {
    const crate = await startCrateDB();
    project.provide('crateUrl', crate.url);
    project.provide('crateSource', crate.source === 'testcontainers' ? `testcontainers ${crate.image}` : crate.source);
    return crate.stop;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(
      `\n*** Integration tests SKIPPED: no CrateDB. Set CRATEDB_URL=http://localhost:4200 to use a running CrateDB, or ` +
        `start a Docker engine so testcontainers can run ${DEFAULT_CRATEDB_IMAGE}. (${reason})\n\n`,
    );
    project.provide('crateUrl', null);
    project.provide('crateSource', 'none');
    return async () => {};
  }
}

/**
 * Only start a container when the run may include integration suites: no file filters on the command line
 * (`vitest run`), or a filter naming them. Vitest gives global setup no API for its filters, so they are read from
 * the command line of this, the main, process.
 */
function wantsIntegration(_project: TestProject): boolean {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && arg !== 'run' && !/vitest/.test(arg));
  return filters.length === 0 || filters.some((filter) => /integration|readme/.test(filter));
}
