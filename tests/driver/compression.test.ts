import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';
import { startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';

let server: ProtocolServer;
beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(() => server.close());

const rows = (count: number): unknown[][] => Array.from({ length: count }, (_, i) => [i, `name number ${i}`, { nested: [i, i * 2] }]);

async function lastRequestFor(options: ConstructorParameters<typeof CrateClient>[0] & object, bulkArgs: unknown[][]) {
  const client = new CrateClient({ servers: server.url, ...options });
  try {
    await client.bulk('INSERT INTO t (id, name, o) VALUES (?, ?, ?)', bulkArgs);
  } finally {
    await client.close();
  }
  return server.requests.at(-1)!;
}

describe('request compression', () => {
  it('gzips bodies above the default threshold of 8 KiB; the server sees the same JSON', async () => {
    const bulkArgs = rows(500);
    const request = await lastRequestFor({}, bulkArgs);
    expect(request.headers['content-encoding']).toBe('gzip');
    expect(request.rawBody.length).toBeLessThan(request.body.length / 3);
    expect(request.json).toEqual({ stmt: 'INSERT INTO t (id, name, o) VALUES (?, ?, ?)', bulk_args: bulkArgs });
  });

  it('sends small bodies as they are', async () => {
    const request = await lastRequestFor({}, rows(3));
    expect(request.headers['content-encoding']).toBeUndefined();
    expect(request.rawBody.toString()).toBe(request.body);
  });

  it('compresses everything with compression: true, nothing with false, above n bytes with a number', async () => {
    expect((await lastRequestFor({ compression: true }, rows(1))).headers['content-encoding']).toBe('gzip');
    expect((await lastRequestFor({ compression: false }, rows(2000))).headers['content-encoding']).toBeUndefined();
    const small = await lastRequestFor({ compression: 150 }, rows(1));
    expect(small.body.length).toBeLessThanOrEqual(150);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect((await lastRequestFor({ compression: 150 }, rows(3))).headers['content-encoding']).toBe('gzip');
  });
});
