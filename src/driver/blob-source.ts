/**
 * What `put()` uploads: the bytes given, with their SHA-1 digest computed on the way. CrateDB names a blob by its
 * digest in the URL (`PUT /_blobs/<table>/<sha1>`), so the digest must be known before the first byte is sent: a
 * stream is read to its end first. Up to `memoryLimit` bytes stay in memory; beyond that the stream is spooled to a
 * temporary file, so a multi-gigabyte upload costs disk, not heap. The body can be opened again for each attempt
 * (failover, a 307 redirect to the node holding the shard).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CrateArgumentError } from '../shared/errors.js';
import { describeValueType } from '../shared/sql-text.js';

/** Anything `put()` takes: bytes, a Node Readable, a web ReadableStream, or any async iterable of byte chunks. */
export type BlobData = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Bytes of a stream kept in memory before `put()` spools the rest to a temporary file. */
export const DEFAULT_BLOB_MEMORY_LIMIT = 16 * 1024 * 1024;

export interface PreparedBlob {
  digest: string;
  size: number;
  /** Whether the bytes went to a temporary file (the stream was larger than the memory limit). */
  spooled: boolean;
  /** The body from its start; call once per attempt. */
  open(): Buffer | Readable;
  /** Removes the temporary file, if any. */
  dispose(): Promise<void>;
}

export async function prepareBlob(data: BlobData, memoryLimit: number, signal: AbortSignal | undefined): Promise<PreparedBlob> {
  if (data instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return { digest: sha1(bytes), size: bytes.length, spooled: false, open: () => bytes, dispose: async () => {} };
  }
  if (data === null || typeof data !== 'object' || !(Symbol.asyncIterator in data)) {
    throw new CrateArgumentError(
      `blobs.put(): cannot upload a ${describeValueType(data)}; pass a Buffer, a Uint8Array, a Node Readable, a ReadableStream or an async iterable of Uint8Array chunks${typeof data === 'string' ? ' (for text, Buffer.from(text) says which encoding)' : ''}`,
    );
  }
  return spool(data as AsyncIterable<unknown>, memoryLimit, signal);
}

async function spool(chunks: AsyncIterable<unknown>, memoryLimit: number, signal: AbortSignal | undefined): Promise<PreparedBlob> {
  const hash = createHash('sha1');
  const inMemory: Buffer[] = [];
  let size = 0;
  let dir: string | undefined;
  let file: FileHandle | undefined;
  const cleanUp = async (): Promise<void> => {
    await file?.close().catch(() => {});
    file = undefined;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  };
  try {
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      if (!(chunk instanceof Uint8Array)) {
        throw new CrateArgumentError(`blobs.put(): the stream gave a ${describeValueType(chunk)} chunk; only byte chunks (Buffer, Uint8Array) can be uploaded (a Readable with an encoding set gives strings)`);
      }
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      hash.update(bytes);
      size += bytes.length;
      if (file) {
        await file.write(bytes);
      } else if (size > memoryLimit) {
        dir = await mkdtemp(join(tmpdir(), 'drizzle-cratedb-blob-'));
        file = await open(join(dir, 'body'), 'w', 0o600);
        for (const kept of inMemory) await file.write(kept);
        inMemory.length = 0;
        await file.write(bytes);
      } else {
        // Copied: a stream may reuse the memory of a chunk it has handed out.
        inMemory.push(Buffer.from(bytes));
      }
    }
    signal?.throwIfAborted();
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const digest = hash.digest('hex');
  if (file) {
    await file.close();
    file = undefined;
    const path = join(dir!, 'body');
    return { digest, size, spooled: true, open: () => createReadStream(path), dispose: cleanUp };
  }
  const bytes = Buffer.concat(inMemory, size);
  return { digest, size, spooled: false, open: () => bytes, dispose: async () => {} };
}

export function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}
