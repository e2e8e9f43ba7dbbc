import { afterEach, describe, expect, it } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';
import { replies, startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function server(): Promise<ProtocolServer> {
  const started = await startProtocolServer();
  cleanups.push(() => started.close());
  return started;
}
function clientFor(options: ConstructorParameters<typeof CrateClient>[0]): CrateClient {
  const client = new CrateClient(options);
  cleanups.push(() => client.close());
  return client;
}

describe('connections and schemas', () => {
  it('never shares a socket between schemas (CrateDB fixes a session schema on its first request)', async () => {
    const crate = await server();
    crate.handle(() => replies.delay(5, replies.rowCount(1)));
    const root = clientFor({ servers: crate.url, schema: 'a' });
    const siblings = [root, root.withSchema('b'), root.withSchema('c')];
    for (let round = 0; round < 3; round++) {
      await Promise.all(siblings.flatMap((client) => [client.sql('SELECT 1'), client.sql('SELECT 2')]));
      for (const client of siblings) await client.sql('SELECT 3');
    }
    const schemaByConnection = new Map<number, Set<string | undefined>>();
    for (const request of crate.requests) {
      const schemas = schemaByConnection.get(request.remotePort) ?? new Set();
      schemas.add(request.headers['default-schema'] as string | undefined);
      schemaByConnection.set(request.remotePort, schemas);
    }
    expect(schemaByConnection.size).toBeGreaterThanOrEqual(3);
    for (const schemas of schemaByConnection.values()) expect(schemas.size).toBe(1);
    // Connections are reused within a schema.
    expect(crate.connectionCount).toBeLessThan(crate.requests.length);
  });

  it('siblings share server health', async () => {
    const [a, b] = [await server(), await server()];
    const root = clientFor({ servers: [a.url, b.url] });
    const sibling = root.withSchema('other');
    a.enqueue(replies.unavailable(503));
    await root.sql('SELECT 1');
    await sibling.sql('SELECT 2');
    await sibling.sql('SELECT 3');
    expect(a.statements()).toEqual(['SELECT 1']);
    expect(b.statements()).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
  });

  it('close() on any sibling closes the whole family', async () => {
    const crate = await server();
    const root = clientFor({ servers: crate.url });
    const sibling = root.withSchema('other');
    await sibling.close();
    await expect(root.sql('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('opens at most poolSize connections per server', async () => {
    const crate = await server();
    crate.handle(() => replies.delay(20, replies.rowCount(1)));
    const client = clientFor({ servers: crate.url, poolSize: 2 });
    await Promise.all(Array.from({ length: 8 }, () => client.sql('SELECT 1')));
    expect(crate.connectionCount).toBe(2);
  });

  it('keeps connections alive by default, and does not with keepAlive: false', async () => {
    const crate = await server();
    const pooled = clientFor({ servers: crate.url });
    for (let i = 0; i < 10; i++) await pooled.sql('SELECT 1');
    // undici may open a second connection for back-to-back requests (the first is not free again yet); not more.
    expect(crate.connectionCount).toBeLessThanOrEqual(2);
    expect(crate.requests[0]!.headers.connection).toBe('keep-alive');
    const before = crate.connectionCount;
    const single = clientFor({ servers: crate.url, keepAlive: false });
    for (let i = 0; i < 3; i++) await single.sql('SELECT 1');
    expect(crate.connectionCount).toBe(before + 3);
    expect(crate.requests.at(-1)!.headers.connection).toBe('close');
  });
});
