/**
 * A three-node CrateDB cluster for tests/integration/cluster.test.ts, and a way to hurt its nodes.
 *
 * Two ways to get one:
 * - `CRATEDB_CLUSTER_URLS=http://127.0.0.1:4201,http://127.0.0.1:4202,http://127.0.0.1:4203` names three running
 *   nodes, and `CRATEDB_CLUSTER_CONTROL=/path/to/script` controls them: the script is run as
 *   `script kill|start|pause|resume <n>`, n being the node's 1-based position in CRATEDB_CLUSTER_URLS; `kill` is a
 *   SIGKILL, `pause` a SIGSTOP, `resume` a SIGCONT, and `start` starts a killed node again with its data.
 * - `CRATEDB_CLUSTER_TESTCONTAINERS=1` starts three `crate:6.4.3` containers on one Docker network (as the GitHub
 *   workflow can), publishing HTTP on 127.0.0.1:4201-4203, and controls them through Docker (kill, start, pause and
 *   unpause; Docker's pause freezes the processes like SIGSTOP). The host needs vm.max_map_count ≥ 262144.
 *
 * Without either, `describeCluster` reports the suite skipped, with the reason in its title.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe } from 'vitest';

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

const IMAGE = 'crate:6.4.3';

async function startContainerCluster(): Promise<Cluster> {
  const { GenericContainer, Network, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const network = await new Network().start();
  const names = ['n1', 'n2', 'n3'];
  const started = await Promise.all(
    names.map((name, index) =>
      new GenericContainer(IMAGE)
        .withNetwork(network)
        .withNetworkAliases(name)
        .withName(`drizzle-cratedb-${name}-${process.pid}`)
        .withEnvironment({ CRATE_HEAP_SIZE: '1g' })
        .withCommand([
          `-Cnode.name=${name}`,
          '-Ccluster.name=drizzle-cluster',
          `-Cdiscovery.seed_hosts=${names.map((other) => `${other}:4300`).join(',')}`,
          `-Ccluster.initial_master_nodes=${names.join(',')}`,
          '-Cnetwork.host=_site_',
        ])
        // Fixed host ports: a killed container started again keeps its address.
        .withExposedPorts({ container: 4200, host: 4201 + index })
        .withWaitStrategy(Wait.forHttp('/', 4200).forStatusCode(200))
        .withStartupTimeout(180_000)
        .start(),
    ),
  );
  const runtime = await getContainerRuntimeClient();
  const containers = started.map((container) => runtime.container.getById(container.getId()));
  return {
    urls: names.map((_, index) => `http://127.0.0.1:${4201 + index}`),
    async control(action, node) {
      const container = containers[node - 1]!;
      if (action === 'kill') await container.kill();
      else if (action === 'start') await container.start();
      else if (action === 'pause') await container.pause();
      else await container.unpause();
    },
    async stop() {
      await Promise.all(started.map((container) => container.stop()));
      await network.stop();
    },
  };
}
