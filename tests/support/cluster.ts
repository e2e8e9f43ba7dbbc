/**
 * A three-node CrateDB cluster for tests/integration/cluster.test.ts, and a way to hurt its nodes.
 *
 * Two ways to get one:
 * - `CRATEDB_CLUSTER_URLS=http://127.0.0.1:4201,http://127.0.0.1:4202,http://127.0.0.1:4203` names three running
 *   nodes, and `CRATEDB_CLUSTER_CONTROL=/path/to/script` controls them: the script is run as
 *   `script kill|start|pause|resume <n>`, n being the node's 1-based position in CRATEDB_CLUSTER_URLS; `kill` is a
 *   SIGKILL, `pause` a SIGSTOP, `resume` a SIGCONT, and `start` starts a killed node again with its data.
 * - `CRATEDB_CLUSTER_TESTCONTAINERS=1` starts three `crate:6.4.3` containers on one Docker network with the
 *   package's `startCrateDB({ nodes: 3 })` (as the GitHub workflow can), publishing HTTP on ports 4201-4203, and
 *   controls them through Docker (kill, start, pause and
 *   unpause; Docker's pause freezes the processes like SIGSTOP). The host needs vm.max_map_count ≥ 262144.
 *
 * Without either, `describeCluster` reports the suite skipped, with the reason in its title.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe } from 'vitest';
import { startCrateDB } from '../../src/testing/index.js';

const run = promisify(execFile);

export type NodeAction = 'kill' | 'start' | 'pause' | 'resume';

export interface Cluster {
  /** HTTP URLs of the three nodes; node n (1-based) is urls[n - 1]. */
  readonly urls: readonly string[];
  control(action: NodeAction, node: number): Promise<void>;
  stop(): Promise<void>;
}

const urls = (process.env.CRATEDB_CLUSTER_URLS ?? '').split(',').map((url) => url.trim()).filter(Boolean);
const controlScript = process.env.CRATEDB_CLUSTER_CONTROL;
const useContainers = process.env.CRATEDB_CLUSTER_TESTCONTAINERS === '1';

function skipReason(): string | undefined {
  if (useContainers) return undefined;
  if (urls.length !== 3) return 'set CRATEDB_CLUSTER_URLS to three node URLs (comma-separated) and CRATEDB_CLUSTER_CONTROL, or CRATEDB_CLUSTER_TESTCONTAINERS=1';
  if (!controlScript) return 'set CRATEDB_CLUSTER_CONTROL to a script taking kill|start|pause|resume <n>';
  return undefined;
}

const reason = skipReason();

export const describeCluster = reason === undefined ? describe : (name: string, fn: () => void) => describe.skip(`${name} [SKIPPED: ${reason}]`, fn);

export async function startCluster(): Promise<Cluster> {
  if (useContainers) return startContainerCluster();
  return {
    urls,
    async control(action, node) {
      await run(controlScript!, [action, String(node)], { timeout: 60_000 });
    },
    async stop() {},
  };
}

async function startContainerCluster(): Promise<Cluster> {
  // Fixed host ports: a killed container started again keeps its address.
  const crate = await startCrateDB({ nodes: 3, reuse: false, hostPorts: [4201, 4202, 4203] });
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
