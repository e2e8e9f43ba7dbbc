/**
 * Finds a CrateDB for tests/integration once per run: CRATEDB_URL if set, else a container of the official image
 * started with testcontainers, else none. Without one the integration suites skip, and this says so loudly.
 */
import type { TestProject } from 'vitest/node';

/** The image the suites run against when Docker is there; CRATEDB_URL overrides it. */
export const CRATEDB_IMAGE = 'crate:6.4.3';

declare module 'vitest' {
  export interface ProvidedContext {
    crateUrl: string | null;
    crateSource: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.CRATEDB_URL;
  if (fromEnv) {
    project.provide('crateUrl', fromEnv);
    project.provide('crateSource', 'CRATEDB_URL');
    return async () => {};
  }
  if (!wantsIntegration(project)) {
    project.provide('crateUrl', null);
    project.provide('crateSource', 'not needed');
    return async () => {};
  }
  try {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(CRATEDB_IMAGE)
      .withCommand(['-Cdiscovery.type=single-node'])
      .withEnvironment({ CRATE_HEAP_SIZE: '1g' })
      .withExposedPorts(4200)
      .withWaitStrategy(Wait.forHttp('/', 4200).forStatusCode(200))
      .withStartupTimeout(180_000)
      .start();
    const url = `http://${container.getHost()}:${container.getMappedPort(4200)}`;
    project.provide('crateUrl', url);
    project.provide('crateSource', `testcontainers ${CRATEDB_IMAGE}`);
    return async () => {
      await container.stop();
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(
      `\n*** Integration tests SKIPPED: no CrateDB. Set CRATEDB_URL=http://localhost:4200 to use a running CrateDB, or ` +
        `start a Docker engine so testcontainers can run ${CRATEDB_IMAGE}. (${reason})\n\n`,
    );
    project.provide('crateUrl', null);
    project.provide('crateSource', 'none');
    return async () => {};
  }
}

/** Only start a container when the run includes integration suites. */
function wantsIntegration(project: TestProject): boolean {
  const filters = project.vitest.config.filters ?? [];
  return filters.length === 0 || filters.some((filter) => filter.includes('integration'));
}
