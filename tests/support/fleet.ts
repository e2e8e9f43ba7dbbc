/**
 * Protocol servers and clients for one test file, all closed after each test: the fleet the failover, retry and
 * hung-server tests run against. Call `fleet()` once at the top of the file.
 */
import { afterEach } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';
import { startProtocolServer, type ProtocolServer } from './protocol-server.js';

export type ClientOptions = Omit<Exclude<ConstructorParameters<typeof CrateClient>[0], string | undefined>, 'servers'>;

export function fleet() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    /** `count` protocol servers, started side by side. */
    async servers(count: number): Promise<ProtocolServer[]> {
      const started = await Promise.all(Array.from({ length: count }, () => startProtocolServer()));
      for (const server of started) cleanups.push(() => server.close());
      return started;
    },
    /** A client over `urls`. */
    clientFor(urls: string[], options: ClientOptions = {}): CrateClient {
      const client = new CrateClient({ servers: urls, ...options });
      cleanups.push(() => client.close());
      return client;
    },
    /** Anything else to close after the test. */
    onCleanup(cleanup: () => Promise<void>): void {
      cleanups.push(cleanup);
    },
  };
}
