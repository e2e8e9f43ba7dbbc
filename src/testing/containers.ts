/**
 * CrateDB in containers, through testcontainers (an optional peer dependency, loaded only here and only when a
 * container is asked for). One node runs with `discovery.type=single-node`; n nodes form one cluster on a Docker
 * network of their own, each publishing its HTTP port.
 */
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { CrateRuntimeError } from '../shared/errors.js';
import type { CrateTestNode, NodesPlan } from './node.js';

export interface ContainerPlan extends NodesPlan {
  image: string;
}

export interface StartedContainers {
  nodes: CrateTestNode[];
  stop(): Promise<void>;
}

type Testcontainers = typeof import('testcontainers');

async function loadTestcontainers(): Promise<Testcontainers> {
  try {
    return await import('testcontainers');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new CrateRuntimeError(
      'drizzle-cratedb/testing starts CrateDB with testcontainers, which is not installed: run `npm install --save-dev testcontainers`, ' +
        'or set CRATEDB_URL=http://localhost:4200 to use a CrateDB that is already running.',
      { cause: error },
    );
  }
}

export async function startContainers(plan: ContainerPlan): Promise<StartedContainers> {
  const tc = await loadTestcontainers();
  const started: StartedTestContainer[] = [];
  let network: StartedNetwork | undefined;
  const cleanUp = async () => {
    await Promise.allSettled(started.map((container) => container.stop()));
    await network?.stop().catch(() => undefined);
  };
  try {
    const names = Array.from({ length: plan.nodes }, (_, index) => `crate${index + 1}`);
    const cluster = plan.nodes > 1;
    if (cluster) network = await new tc.Network().start();
    const clusterName = `drizzle-cratedb-test-${Math.random().toString(36).slice(2, 8)}`;
    const results = await Promise.allSettled(
      names.map(async (name, index) => {
        const settings: Record<string, string | number | boolean> = cluster
          ? {
              'node.name': name,
              'cluster.name': clusterName,
              'discovery.seed_hosts': names.map((other) => `${other}:4300`).join(','),
              'cluster.initial_master_nodes': names.join(','),
              'network.host': '_site_',
            }
          : { 'discovery.type': 'single-node' };
        let container = new tc.GenericContainer(plan.image)
          .withEnvironment({ CRATE_HEAP_SIZE: plan.heapSize })
          .withCommand(Object.entries({ ...settings, ...plan.settings }).map(([key, value]) => `-C${key}=${String(value)}`))
          .withExposedPorts(plan.hostPorts ? { container: 4200, host: plan.hostPorts[index]! } : 4200)
          // 503 until the node has joined a cluster with an elected master.
          .withWaitStrategy(tc.Wait.forHttp('/', 4200).forStatusCode(200))
          .withStartupTimeout(plan.startupTimeout);
        if (network) container = container.withNetwork(network).withNetworkAliases(name);
        const running = await container.start();
        started.push(running);
        return running;
      }),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const runtime = await tc.getContainerRuntimeClient();
    const nodes = (results as PromiseFulfilledResult<StartedTestContainer>[]).map(({ value: container }, index): CrateTestNode => {
      const handle = runtime.container.getById(container.getId());
      return {
        name: names[index]!,
        url: `http://${container.getHost()}:${container.getMappedPort(4200)}`,
        kill: () => handle.kill(),
        start: () => handle.start(),
        pause: () => handle.pause(),
        resume: () => handle.unpause(),
      };
    });
    return { nodes, stop: cleanUp };
  } catch (error) {
    await cleanUp();
    if (error instanceof CrateRuntimeError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CrateRuntimeError(
      `Could not start ${plan.image} with testcontainers (${reason}). Start a Docker engine (or another container runtime ` +
        'testcontainers supports), or set CRATEDB_URL=http://localhost:4200 to use a CrateDB that is already running.',
      { cause: error },
    );
  }
}
