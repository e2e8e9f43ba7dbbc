/**
 * A three-node CrateDB cluster for tests/integration/cluster.test.ts, and a way to hurt its nodes. global-setup.ts
 * decides how (see its ClusterPlan):
 * - processes from the unpacked CrateDB the single node runs from (CRATEDB_TARBALL, CRATEDB_HOME or a download),
 *   with `startCrateDB({ nodes: 3 })`; kill is a SIGKILL, pause a SIGSTOP, resume a SIGCONT, and start starts a
 *   killed node again on its ports and data;
 * - containers, when the single node is one: three `crate` containers on one Docker network, publishing HTTP on
 *   ports 4201-4203 (a killed container started again keeps its address), controlled through Docker (its pause
 *   freezes the processes like SIGSTOP). The host needs vm.max_map_count ≥ 262144;
 * - three running nodes, `CRATEDB_CLUSTER_URLS=http://127.0.0.1:4201,...` with `CRATEDB_CLUSTER_CONTROL=/path/to/script`:
 *   the script is run as `script kill|start|pause|resume <n>`, n being the node's 1-based position in the list.
 *
 * The suite runs unchanged on each. Without any, `describeCluster` reports the suite skipped, with the reason in
 * its title.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, inject } from 'vitest';
import { startCrateDB } from '../../src/testing/index.js';

const run = promisify(execFile);

export type NodeAction = 'kill' | 'start' | 'pause' | 'resume';

export interface Cluster {
  /** HTTP URLs of the three nodes; node n (1-based) is urls[n - 1]. */
  readonly urls: readonly string[];
  control(action: NodeAction, node: number): Promise<void>;
  stop(): Promise<void>;
}

const plan = inject('crateCluster');

export const describeCluster =
  plan.kind !== 'none' ? describe : (name: string, fn: () => void) => describe.skip(`${name} [SKIPPED: ${plan.reason}]`, fn);

/**
 * Like {@link describeCluster}, for suites that start their own cluster with CrateDB settings: a cluster named by
 * CRATEDB_CLUSTER_URLS runs with settings the suite cannot choose, so they are skipped there, saying so.
 */
export const describeOwnCluster =
  plan.kind === 'none'
    ? (name: string, fn: () => void) => describe.skip(`${name} [SKIPPED: ${plan.reason}]`, fn)
    : plan.kind === 'urls'
      ? (name: string, fn: () => void) => describe.skip(`${name} [SKIPPED: CRATEDB_CLUSTER_URLS names a running cluster, whose node settings this suite cannot set]`, fn)
      : describe;

/** Starts (or finds) the three nodes; `settings` (static CrateDB node settings) need a cluster started here. */
export async function startCluster(settings: Readonly<Record<string, string | number>> = {}): Promise<Cluster> {
  if (plan.kind === 'none') throw new Error(`no cluster: ${plan.reason}`);
  if (plan.kind === 'urls') {
    if (Object.keys(settings).length > 0) throw new Error('a cluster named by CRATEDB_CLUSTER_URLS cannot be given node settings');
    const script = process.env.CRATEDB_CLUSTER_CONTROL!;
    return {
      urls: process.env.CRATEDB_CLUSTER_URLS!.split(',').map((url) => url.trim()),
      async control(action, node) {
        await run(script, [action, String(node)], { timeout: 60_000 });
      },
      async stop() {},
    };
  }
  const crate =
    plan.kind === 'processes'
      ? await startCrateDB({ nodes: 3, reuse: false, home: plan.home, heapSize: '768m', settings })
      : // Fixed host ports: a killed container started again keeps its address.
        await startCrateDB({ nodes: 3, reuse: false, image: plan.image, hostPorts: [4201, 4202, 4203], settings });
  return {
    urls: crate.urls,
    async control(action, node) {
      const handle = crate.nodes[node - 1]!;
      if (action === 'kill') await handle.kill();
      else if (action === 'start') await handle.start();
      else if (action === 'pause') await handle.pause();
      else await handle.resume();
    },
    stop: crate.stop,
  };
}
