/**
 * Blob tables reached from Drizzle, on both lines: `db.$client` is the CrateClient, so `db.$client.blobs(table)`
 * uses the database's own servers, credentials and pools.
 */
import { afterEach, expect, it } from 'vitest';
import { BlobContainer, drizzle } from 'drizzle-cratedb';
import { blobHandler, startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';

let server: ProtocolServer | undefined;
afterEach(async () => {
  await server?.close();
});

it('db.$client.blobs(table) stores and reads blobs through the database connection', async () => {
  server = await startProtocolServer();
  server.handle(blobHandler(new Map([['media', new Map()]])));
  const db = drizzle({ connection: { servers: [server.url], username: 'writer', password: 'pw' } });
  try {
    const media = db.$client.blobs('media');
    expect(media).toBeInstanceOf(BlobContainer);
    const { digest, created } = await media.put(Buffer.from('hello blob'));
    expect({ digest, created }).toEqual({ digest: '7365d318fac54fce9be1b75df17a3813f669bb0c', created: true });
    expect((await media.getBuffer(digest)).toString()).toBe('hello blob');
    expect(server.requests.map((request) => [request.method, request.headers.authorization])).toEqual([
      ['PUT', `Basic ${Buffer.from('writer:pw').toString('base64')}`],
      ['GET', `Basic ${Buffer.from('writer:pw').toString('base64')}`],
    ]);
  } finally {
    await db.$client.close();
  }
});
