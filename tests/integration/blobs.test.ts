/**
 * Blob tables on a real CrateDB: DDL with its options, content-addressed round trips, what CrateDB answers for a
 * missing blob or table, and reads that fail over from a dead server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CrateClient, CrateDBError, type BlobContainer } from '../../src/driver/index.js';
import { refusedServerUrl } from '../support/protocol-server.js';
import { crateUrl, describeCrate, testClient, uniqueName } from '../support/crate.js';

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describeCrate('blob tables on a real CrateDB', () => {
  let client: CrateClient;
  let blobs: BlobContainer;
  const table = uniqueName('blobs');

  beforeAll(async () => {
    client = testClient();
    await client.createBlobTable(table, { shards: 2, replicas: 0 });
    blobs = client.blobs(table);
  });

  afterAll(async () => {
    await client.dropBlobTable(table, { ifExists: true });
    await client.close();
  });

  it('creates the blob table with the shards and replicas asked for', async () => {
    const { rows } = await client.sql(
      `SELECT number_of_shards, number_of_replicas FROM information_schema.tables WHERE table_schema = 'blob' AND table_name = $1`,
      [table],
    );
    expect(rows).toEqual([[2, '0']]);
  });

  it('puts, finds, reads and deletes a blob by its SHA-1 digest', async () => {
    const bytes = randomBytes(300_000);
    const digest = sha1(bytes);
    expect(await blobs.exists(digest)).toBe(false);
    expect(await blobs.put(bytes)).toEqual({ digest, created: true, size: bytes.length });
    expect(await blobs.put(bytes)).toEqual({ digest, created: false, size: bytes.length });
    expect(await blobs.exists(digest)).toBe(true);
    expect(await blobs.exists(digest.toUpperCase())).toBe(true);
    expect((await blobs.getBuffer(digest)).equals(bytes)).toBe(true);
    // CrateDB lists the blob in its table under the same digest.
    const { rows } = await client.sql(`SELECT digest FROM blob."${table}"`);
    expect(rows).toContainEqual([digest]);
    expect(await blobs.delete(digest)).toBe(true);
    expect(await blobs.delete(digest)).toBe(false);
    expect(await blobs.exists(digest)).toBe(false);
  });

  it('uploads a stream larger than the memory limit through a temporary file, and streams it back', async () => {
    const parts = Array.from({ length: 8 }, () => randomBytes(64 * 1024));
    const whole = Buffer.concat(parts);
    const result = await blobs.put(Readable.from(parts), { memoryLimit: 100_000 });
    expect(result).toEqual({ digest: sha1(whole), created: true, size: whole.length });
    const stream = await blobs.get(result.digest);
    const received: Buffer[] = [];
    for await (const chunk of stream) received.push(chunk as Buffer);
    expect(Buffer.concat(received).equals(whole)).toBe(true);
    // A web ReadableStream and an async generator give the same content, hence the same blob.
    const web = Readable.toWeb(Readable.from(parts)) as ReadableStream<Uint8Array>;
    expect(await blobs.put(web)).toEqual({ ...result, created: false });
    expect(await blobs.put((async function* () { yield* parts; })())).toEqual({ ...result, created: false });
    await blobs.delete(result.digest);
  });

  it('tells a missing blob from a missing table', async () => {
    const missing = sha1(randomBytes(16));
    await expect(blobs.get(missing)).rejects.toMatchObject({ kind: 'unknown-blob', status: 404 });
    const unknown = client.blobs(uniqueName('no_such_blobs'));
    for (const call of [() => unknown.exists(missing), () => unknown.get(missing), () => unknown.delete(missing), () => unknown.put(Buffer.from('x'))]) {
      const error = await call().then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(CrateDBError);
      expect(error).toMatchObject({ kind: 'unknown-table', status: 404 });
    }
  });

  it('reads fail over from a dead first server', async () => {
    const bytes = randomBytes(10_000);
    const { digest } = await blobs.put(bytes);
    const failover = new CrateClient({ servers: [await refusedServerUrl(), crateUrl!], retryInterval: 60_000 });
    try {
      const viaFailover = failover.blobs(table);
      expect((await viaFailover.getBuffer(digest)).equals(bytes)).toBe(true);
      expect(await viaFailover.exists(digest)).toBe(true);
      // The dead server was set aside: the next read goes straight to the live one.
      expect((await viaFailover.getBuffer(digest)).equals(bytes)).toBe(true);
    } finally {
      await failover.close();
      await blobs.delete(digest);
    }
  });

  it('creates a blob table with a blobs_path, and drops it', async () => {
    const other = uniqueName('blobs_path');
    const path = `/tmp/${other}`;
    await client.createBlobTable(other, { shards: 1, replicas: '0-1', blobsPath: path });
    try {
      const { rows } = await client.sql(`SELECT blobs_path, number_of_replicas FROM information_schema.tables WHERE table_schema = 'blob' AND table_name = $1`, [other]);
      expect(rows).toEqual([[path, '0-1']]);
      const stored = await client.blobs(other).put(Buffer.from('in a path of its own'));
      expect(stored.created).toBe(true);
    } finally {
      await client.dropBlobTable(other);
      // CrateDB leaves the directory behind; on this host it can be removed (in a container it is not ours to see).
      rmSync(path, { recursive: true, force: true });
    }
    await expect(client.dropBlobTable(other)).rejects.toMatchObject({ kind: 'unknown-table' });
    await client.dropBlobTable(other, { ifExists: true });
  });
});
