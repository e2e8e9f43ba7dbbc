/**
 * Where the examples find CrateDB: CRATEDB_URL if set, else a throwaway container of the official image started
 * with testcontainers (needs a Docker engine).
 */
export interface Connection {
  url: string;
  source: string;
  stop(): Promise<void>;
}

export const CRATEDB_IMAGE = 'crate:6.4.3';

export async function connectCrate(): Promise<Connection> {
  const fromEnv = process.env.CRATEDB_URL;
  if (fromEnv) return { url: fromEnv, source: 'CRATEDB_URL', stop: async () => {} };

  let GenericContainer: typeof import('testcontainers').GenericContainer;
  let Wait: typeof import('testcontainers').Wait;
  try {
    ({ GenericContainer, Wait } = await import('testcontainers'));
  } catch {
    throw new Error('CRATEDB_URL is not set and testcontainers is not installed (npm install --save-dev testcontainers)');
  }
  process.stderr.write(`CRATEDB_URL is not set: starting ${CRATEDB_IMAGE} with testcontainers...\n`);
  try {
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
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`No CrateDB: set CRATEDB_URL=http://host:4200, or start a Docker engine for testcontainers (${reason})`);
  }
}
