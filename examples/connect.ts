/**
 * Where the examples (and the integration tests) find CrateDB: CRATEDB_URL if set, else a throwaway container of
 * the official image started with testcontainers (needs a Docker engine).
 */
export interface Connection {
  url: string;
  source: string;
  stop(): Promise<void>;
}

export const CRATEDB_IMAGE = 'crate:6.4.3';

/** Starts a single-node CrateDB container; throws when there is no Docker engine. */
export async function startCrateContainer(): Promise<Connection> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(CRATEDB_IMAGE)
    .withCommand(['-Cdiscovery.type=single-node'])
    .withEnvironment({ CRATE_HEAP_SIZE: '1g' })
    .withExposedPorts(4200)
    .withWaitStrategy(Wait.forHttp('/', 4200).forStatusCode(200))
    .withStartupTimeout(180_000)
    .start();
  return {
    url: `http://${container.getHost()}:${container.getMappedPort(4200)}`,
    source: `testcontainers ${CRATEDB_IMAGE}`,
    stop: async () => {
      await container.stop();
    },
  };
}

export async function connectCrate(): Promise<Connection> {
  const fromEnv = process.env.CRATEDB_URL;
  if (fromEnv) return { url: fromEnv, source: 'CRATEDB_URL', stop: async () => {} };
  process.stderr.write(`CRATEDB_URL is not set: starting ${CRATEDB_IMAGE} with testcontainers...\n`);
  try {
    return await startCrateContainer();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`No CrateDB: set CRATEDB_URL=http://host:4200, or start a Docker engine for testcontainers (${reason})`);
  }
}
