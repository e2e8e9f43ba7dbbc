/**
 * client.blobs(table) against the in-process protocol server answering `/_blobs` as CrateDB does: request shapes,
 * digests, spooling of streams, redirects, failover and the errors for each answer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CrateArgumentError, CrateConfigError } from '../../src/shared/errors.js';
import { CrateConnectionError, CrateDBError } from '../../src/driver/index.js';
import { prepareBlob } from '../../src/driver/blob-source.js';
import { createBlobTableStatement, dropBlobTableStatement } from '../../src/driver/blob-ddl.js';
import { blobHandler, refusedServerUrl, replies, type ProtocolServer } from '../support/protocol-server.js';
import { fleet } from '../support/fleet.js';
import { expectCrateSql } from '../support/grammar.js';

const { servers, clientFor } = fleet();
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** Protocol servers with one blob table, `media`, shared by all of them (like the nodes of one cluster). */
async function blobServers(count = 1): Promise<{ nodes: ProtocolServer[]; store: Map<string, Map<string, Buffer>> }> {
  const store = new Map([['media', new Map<string, Buffer>()]]);
  const nodes = await servers(count);
  for (const node of nodes) node.handle(blobHandler(store));
  return { nodes, store };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('blob requests', () => {
  it('PUT sends the bytes to /_blobs/<table>/<sha1> with their length and the client credentials', async () => {
    const { nodes, store } = await blobServers();
    const client = clientFor([`${nodes[0]!.url}/crate`], { username: 'alice', password: 'secret' });
    const bytes = Buffer.from('contents');
    const result = await client.blobs('media').put(bytes);
    expect(result).toEqual({ digest: '4a756ca07e9487f482465a99e8286abc86ba4dc7', created: true, size: 8 });
    const [request] = nodes[0]!.requests;
    expect(request!.method).toBe('PUT');
    expect(request!.path).toBe('/crate/_blobs/media/4a756ca07e9487f482465a99e8286abc86ba4dc7');
    expect(request!.headers['content-length']).toBe('8');
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from('alice:secret').toString('base64')}`);
    expect(request!.rawBody.equals(bytes)).toBe(true);
    expect(store.get('media')!.get(result.digest)!.equals(bytes)).toBe(true);
  });

  it('reports created false when the content is there already, and round-trips get/exists/delete', async () => {
    const { nodes } = await blobServers();
    const blobs = clientFor([nodes[0]!.url]).blobs('media');
    const bytes = randomBytes(5_000);
    const digest = sha1(bytes);
    expect((await blobs.put(bytes)).created).toBe(true);
    expect((await blobs.put(new Uint8Array(bytes))).created).toBe(false);
    expect(await blobs.exists(digest)).toBe(true);
    expect((await blobs.getBuffer(digest.toUpperCase())).equals(bytes)).toBe(true);
    expect(await blobs.delete(digest)).toBe(true);
    expect(await blobs.delete(digest)).toBe(false);
    expect(await blobs.exists(digest)).toBe(false);
    // The upper-case digest was sent in CrateDB's lower-case form.
    expect(nodes[0]!.requests.map((request) => `${request.method} ${request.path.split('/').pop()}`)).toContain(`GET ${digest}`);
  });

  it('tells a missing blob (unknown-blob) from a missing table (unknown-table)', async () => {
    const { nodes } = await blobServers();
    const client = clientFor([nodes[0]!.url]);
    const digest = sha1(Buffer.from('nothing'));
    expect(await rejection(client.blobs('media').get(digest))).toMatchObject({ kind: 'unknown-blob', status: 404 });
    for (const call of [
      () => client.blobs('other').get(digest),
      () => client.blobs('other').exists(digest),
      () => client.blobs('other').delete(digest),
      () => client.blobs('other').put(Buffer.from('x')),
    ]) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(CrateDBError);
      expect(error).toMatchObject({ kind: 'unknown-table', status: 404, message: expect.stringContaining('Blob table "other" does not exist') });
    }
  });

  it('says so when CrateDB refuses content that does not match the digest (400)', async () => {
    const [node] = await servers(1);
    node!.handle(() => ({ status: 400, text: '' }));
    const error = await rejection(clientFor([node!.url]).blobs('media').put(Buffer.from('x')));
    expect(error).toMatchObject({ status: 400, message: expect.stringContaining('does not match the digest') });
  });

  it('checks digests, table names and options before sending anything', async () => {
    const [node] = await servers(1);
    const client = clientFor([node!.url]);
    expect(() => client.blobs('blob.media')).toThrow(CrateArgumentError);
    expect(() => client.blobs('a/b')).toThrow(/not a blob table name/);
    expect(() => client.blobs('_hidden')).toThrow(CrateArgumentError);
    expect(() => client.blobs('')).toThrow(CrateArgumentError);
    const blobs = client.blobs('media');
    await expect(blobs.get('abc')).rejects.toThrow(/40 hex digits/);
    await expect(blobs.exists('z'.repeat(40))).rejects.toBeInstanceOf(CrateArgumentError);
    await expect(blobs.delete(`${'a'.repeat(40)}/x`)).rejects.toBeInstanceOf(CrateArgumentError);
    await expect(blobs.put('text' as never)).rejects.toThrow(/Buffer\.from\(text\)/);
    await expect(blobs.put(Readable.from(['a', 'b']))).rejects.toThrow(/string chunk/);
    await expect(blobs.put(Buffer.from('x'), { memoryLimt: 5 } as never)).rejects.toThrow(/did you mean 'memoryLimit'/);
    await expect(blobs.put(Buffer.from('x'), { memoryLimit: -1 })).rejects.toBeInstanceOf(CrateArgumentError);
    expect(node!.requests).toEqual([]);
  });
});

describe('streams', () => {
  it('keeps a stream within the memory limit in memory, and spools a larger one to a file removed afterwards', async () => {
    const parts = [randomBytes(1000), randomBytes(1000), randomBytes(1000)];
    const whole = Buffer.concat(parts);
    const small = await prepareBlob(Readable.from(parts), 10_000, undefined);
    expect(small).toMatchObject({ digest: sha1(whole), size: 3000, spooled: false });
    const large = await prepareBlob(Readable.from(parts), 1500, undefined);
    expect(large).toMatchObject({ digest: sha1(whole), size: 3000, spooled: true });
    const probe = large.open() as Readable & { path: string };
    const file = probe.path;
    probe.destroy();
    const read: Buffer[] = [];
    for await (const chunk of Readable.from(large.open() as Readable)) read.push(chunk as Buffer);
    expect(Buffer.concat(read).equals(whole)).toBe(true);
    expect(existsSync(file)).toBe(true);
    await large.dispose();
    expect(existsSync(file)).toBe(false);
  });

  it('uploads a spooled stream in full, with its length known up front', async () => {
    const { nodes, store } = await blobServers();
    const blobs = clientFor([nodes[0]!.url]).blobs('media');
    const parts = Array.from({ length: 5 }, () => randomBytes(4096));
    const whole = Buffer.concat(parts);
    const { digest } = await blobs.put(Readable.from(parts), { memoryLimit: 5000 });
    expect(store.get('media')!.get(digest)!.equals(whole)).toBe(true);
    expect(nodes[0]!.requests.at(-1)!.headers['content-length']).toBe(String(whole.length));
  });

  it('stops reading a stream when the signal aborts', async () => {
    const [node] = await servers(1);
    const controller = new AbortController();
    async function* endless() {
      for (;;) {
        yield randomBytes(1024);
        controller.abort(new Error('enough'));
      }
    }
    await expect(clientFor([node!.url]).blobs('media').put(endless(), { signal: controller.signal })).rejects.toThrow('enough');
    expect(node!.requests).toEqual([]);
  });
});

describe('downloads', () => {
  it("the caller's signal also stops a download already flowing", async () => {
    // Headers and a first part of the body, then nothing more: a slow download.
    const { createServer } = await import('node:http');
    const slow = createServer((_request, response) => {
      response.writeHead(200, { 'content-length': '1000000' });
      response.write(Buffer.alloc(1000));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = slow.address() as { port: number };
      const controller = new AbortController();
      const stream = await clientFor([`http://127.0.0.1:${port}`]).blobs('media').get('a'.repeat(40), { signal: controller.signal });
      const chunks: Buffer[] = [];
      const reading = (async () => {
        for await (const chunk of stream) {
          chunks.push(chunk as Buffer);
          controller.abort(new Error('stop the download'));
        }
      })();
      await expect(reading).rejects.toThrow();
      expect(Buffer.concat(chunks).length).toBeLessThan(1_000_000);
      expect(stream.destroyed).toBe(true);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});

describe('redirects and failover', () => {
  it('follows a 307 to the node holding the blob, sending the body again', async () => {
    const { nodes, store } = await blobServers(2);
    const [first, holder] = nodes as [ProtocolServer, ProtocolServer];
    first.handle((request) => ({ status: 307, text: '', headers: { location: `${holder.url}${request.path}` } }));
    const bytes = Buffer.from('redirected');
    const result = await clientFor([first.url]).blobs('media').put(bytes);
    expect(result.created).toBe(true);
    expect(holder.requests[0]!.rawBody.equals(bytes)).toBe(true);
    expect(store.get('media')!.has(result.digest)).toBe(true);
    // A spooled stream is read again from its file for the second hop.
    const parts = [randomBytes(3000), randomBytes(3000)];
    const spooled = await clientFor([first.url]).blobs('media').put(Readable.from(parts), { memoryLimit: 1000 });
    expect(holder.requests.at(-1)!.rawBody.equals(Buffer.concat(parts))).toBe(true);
    expect(store.get('media')!.get(spooled.digest)!.equals(Buffer.concat(parts))).toBe(true);
  });

  it('does not follow a redirect to another scheme', async () => {
    const [node] = await servers(1);
    node!.handle((request) => ({ status: 307, text: '', headers: { location: `https://elsewhere.example${request.path}` } }));
    const error = await rejection(clientFor([node!.url]).blobs('media').exists('a'.repeat(40)));
    expect(error).toMatchObject({ kind: 'bad-response', message: expect.stringContaining('not followed') });
  });

  it('reads go to the next server when one refuses connections or answers 503', async () => {
    const { nodes } = await blobServers(2);
    const [busy, healthy] = nodes as [ProtocolServer, ProtocolServer];
    const bytes = Buffer.from('failover');
    const digest = sha1(bytes);
    const writer = clientFor([healthy.url]);
    await writer.blobs('media').put(bytes);
    busy.handle(() => replies.unavailable(503));
    const client = clientFor([await refusedServerUrl(), busy.url, healthy.url]);
    expect((await client.blobs('media').getBuffer(digest)).equals(bytes)).toBe(true);
    expect(busy.requests.map((request) => request.method)).toEqual(['GET']);
  });

  it('fails with the servers tried when none can serve', async () => {
    const client = clientFor([await refusedServerUrl(), await refusedServerUrl()]);
    const error = await rejection(client.blobs('media').exists('a'.repeat(40)));
    expect(error).toBeInstanceOf(CrateConnectionError);
    expect((error as CrateConnectionError).failures).toHaveLength(2);
  });

  it('does not repeat a DELETE that may have reached a server', async () => {
    const { nodes } = await blobServers(2);
    const [resetting, other] = nodes as [ProtocolServer, ProtocolServer];
    resetting.handle(() => replies.reset('before-response'));
    const client = clientFor([resetting.url, other.url]);
    const error = await rejection(client.blobs('media').delete('a'.repeat(40)));
    expect(error).toMatchObject({ kind: 'connection', outcomeUnknown: true });
    expect(other.requests).toEqual([]);
  });

  it('a read waiting on a hung node moves to the next one once the node fails its probe, and the node is set aside', async () => {
    const { nodes } = await blobServers(2);
    const [hung, healthy] = nodes as [ProtocolServer, ProtocolServer];
    const bytes = Buffer.from('hang probe');
    await clientFor([healthy.url]).blobs('media').put(bytes);
    hung.pause();
    const client = clientFor([hung.url, healthy.url], { probeAfter: 100, probeTimeout: 150 });
    const started = performance.now();
    expect((await client.blobs('media').getBuffer(sha1(bytes))).equals(bytes)).toBe(true);
    // probeAfter + probeTimeout, not the (absent) client timeout.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(hung.requests.filter((request) => request.path.includes('/_blobs/'))).toHaveLength(1);
    // Set aside: the next request goes straight to the healthy node.
    expect(await client.blobs('media').exists(sha1(bytes))).toBe(true);
    expect(hung.requests.filter((request) => request.path.includes('/_blobs/'))).toHaveLength(1);
  });

  it('a DELETE waiting on a hung node fails with outcomeUnknown once the node fails its probe, and is not repeated', async () => {
    const { nodes } = await blobServers(2);
    const [hung, other] = nodes as [ProtocolServer, ProtocolServer];
    hung.pause();
    const client = clientFor([hung.url, other.url], { probeAfter: 100, probeTimeout: 150 });
    const error = await rejection(client.blobs('media').delete('a'.repeat(40)));
    expect(error).toBeInstanceOf(CrateConnectionError);
    expect(error).toMatchObject({ kind: 'connection', outcomeUnknown: true, message: expect.stringContaining('stopped answering') });
    expect(other.requests).toEqual([]);
  });

  it('gives up after the client timeout when a server does not answer', async () => {
    const [node] = await servers(1);
    node!.handle(() => replies.hang());
    const error = await rejection(clientFor([node!.url], { timeout: 200, probeAfter: 0 }).blobs('media').exists('a'.repeat(40)));
    expect(error).toMatchObject({ kind: 'timeout' });
  });
});

describe('blob table DDL', () => {
  it('writes CREATE BLOB TABLE with shards, replicas and blobs_path as parameters', () => {
    const full = createBlobTableStatement('media', { shards: 3, replicas: '0-1', blobsPath: '/data/blobs' });
    expect(full).toEqual({ stmt: 'CREATE BLOB TABLE "media" CLUSTERED INTO $1 SHARDS WITH (number_of_replicas = $2, blobs_path = $3)', args: [3, '0-1', '/data/blobs'] });
    const bare = createBlobTableStatement('media');
    expect(bare).toEqual({ stmt: 'CREATE BLOB TABLE "media"', args: [] });
    const replicasOnly = createBlobTableStatement('Media', { replicas: 2 });
    expect(replicasOnly.stmt).toBe('CREATE BLOB TABLE "Media" WITH (number_of_replicas = $1)');
    for (const statement of [full.stmt, bare.stmt, replicasOnly.stmt, dropBlobTableStatement('media'), dropBlobTableStatement('media', { ifExists: true })]) {
      expectCrateSql(statement);
    }
    expect(dropBlobTableStatement('media', { ifExists: true })).toBe('DROP BLOB TABLE IF EXISTS "media"');
  });

  it('refuses bad options with the option named', () => {
    expect(() => createBlobTableStatement('media', { shard: 2 } as never)).toThrow(/unknown option 'shard'; did you mean 'shards'/);
    expect(() => createBlobTableStatement('media', { shards: 0 })).toThrow(CrateConfigError);
    expect(() => createBlobTableStatement('media', { replicas: 'some' })).toThrow(/replicas must be/);
    expect(() => createBlobTableStatement('media', { blobsPath: '' })).toThrow(/blobsPath/);
    expect(() => createBlobTableStatement('my.media')).toThrow(CrateArgumentError);
    expect(() => dropBlobTableStatement('media', { ifExist: true } as never)).toThrow(/did you mean 'ifExists'/);
  });

  it('client.createBlobTable and dropBlobTable send those statements', async () => {
    const [node] = await servers(1);
    const client = clientFor([node!.url]);
    await client.createBlobTable('media', { shards: 2 });
    await client.dropBlobTable('media', { ifExists: true });
    expect(node!.requests.map((request) => request.json)).toEqual([
      { stmt: 'CREATE BLOB TABLE "media" CLUSTERED INTO $1 SHARDS', args: [2] },
      { stmt: 'DROP BLOB TABLE IF EXISTS "media"' },
    ]);
  });
});
