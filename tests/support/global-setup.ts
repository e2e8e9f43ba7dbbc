/**
 * Finds a CrateDB for tests/integration once per run with the package's own `drizzle-cratedb/testing`, in its order:
 * CRATEDB_URL, CRATEDB_TARBALL, CRATEDB_HOME, Docker, then a download (unless CRATEDB_DOWNLOAD=0). Without one the
 * integration suites skip, and this says so loudly. It also tells the cluster suite how it can start three nodes:
 * the same way as the single node was started (processes from the same unpacked CrateDB, or containers), or
 * CRATEDB_CLUSTER_URLS with CRATEDB_CLUSTER_CONTROL.
 */
import type { TestProject } from 'vitest/node';
import { installCrateDB, startCrateDB, type CrateDBForTests } from '../../src/testing/index.js';
import type { LineId } from '../../src/lines/manifest.js';

/** How tests/support/cluster.ts gets its three nodes, or why it cannot. */
export type ClusterPlan =
  | { kind: 'urls' }
  | { kind: 'processes'; home: string }
  | { kind: 'containers'; image: string }
  | { kind: 'none'; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    crateUrl: string | null;
    crateSource: string;
    crateCluster: ClusterPlan;
    /** The Drizzle line the run is on, provided by the vitest config. */
    drizzleLine: LineId;
  }
}

export const NO_CRATEDB =
  'no CrateDB; set CRATEDB_URL (a running CrateDB), CRATEDB_TARBALL (a release tarball) or CRATEDB_HOME (an unpacked CrateDB), or run a Docker engine';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!process.env.CRATEDB_URL && !wantsIntegration(project)) {
    project.provide('crateUrl', null);
    project.provide('crateSource', 'not needed');
    project.provide('crateCluster', { kind: 'none', reason: 'no integration suites in this run' });
    return async () => {};
  }
  let crate: CrateDBForTests;
  try {
    crate = await startCrateDB();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\n*** Integration tests SKIPPED: ${NO_CRATEDB}.\n${reason}\n\n`);
    project.provide('crateUrl', null);
    project.provide('crateSource', 'none');
    project.provide('crateCluster', { kind: 'none', reason: NO_CRATEDB });
    return async () => {};
  }
  const described = crate.source === 'testcontainers' ? `testcontainers ${crate.image}` : crate.home ? `${crate.source} (${crate.home})` : crate.source;
  process.stderr.write(`Integration tests run against CrateDB from ${described} at ${crate.url}\n`);
  project.provide('crateUrl', crate.url);
  project.provide('crateSource', described);
  project.provide('crateCluster', await clusterPlan(crate));
  return crate.stop;
}

async function clusterPlan(crate: CrateDBForTests): Promise<ClusterPlan> {
  const env = process.env;
  if (env.CRATEDB_CLUSTER_URLS && env.CRATEDB_CLUSTER_CONTROL) return { kind: 'urls' };
  if (crate.home) return { kind: 'processes', home: crate.home };
  if (crate.image) return { kind: 'containers', image: crate.image };
  if (env.CRATEDB_TARBALL || env.CRATEDB_HOME) {
    try {
      return { kind: 'processes', home: await installCrateDB({ download: false }) };
    } catch (error) {
      return { kind: 'none', reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
    }
  }
  return {
    kind: 'none',
    reason: 'the single node is CRATEDB_URL; set CRATEDB_TARBALL or CRATEDB_HOME to start three nodes, or CRATEDB_CLUSTER_URLS (three URLs) with CRATEDB_CLUSTER_CONTROL',
  };
}

/**
 * Only start a CrateDB when the run may include integration suites: no file filters on the command line
 * (`vitest run`), or a filter naming them. Vitest gives global setup no API for its filters, so they are read from
 * the command line of this, the main, process.
 */
function wantsIntegration(_project: TestProject): boolean {
  const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && arg !== 'run' && !/vitest/.test(arg));
  return filters.length === 0 || filters.some((filter) => /integration|readme|testing|main-job|relational|seed|runtimes/.test(filter));
}
