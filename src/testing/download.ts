/**
 * Downloads a CrateDB release archive into a file: streamed to disk with its SHA-256 computed on the way, checked
 * against the length the server announced (and a known digest, when one is given), with a progress line on a
 * terminal. A download that fails or does not check out leaves no file behind.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CrateRuntimeError } from '../shared/errors.js';

export interface Downloaded {
  bytes: number;
  sha256: string;
}

export interface DownloadOptions {
  /** The SHA-256 the archive must have, in hex; unchecked when absent. */
  sha256?: string | undefined;
  /** What the progress line calls the download. */
  label: string;
  /** Where progress goes; a terminal gets one line rewritten in place, anything else a line at start and end. */
  progress?: NodeJS.WriteStream | undefined;
  /** Giving up on a connection that sends nothing for this long, in milliseconds. */
  stallTimeout?: number;
  attempts?: number;
}

/** A status the mirror may answer differently on the next try. */
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export class DownloadNotFound extends CrateRuntimeError {}

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** Fetches `url` into `file`; see the module comment. Retries network failures and transient statuses. */
export async function download(url: string, file: string, options: DownloadOptions): Promise<Downloaded> {
  const attempts = options.attempts ?? 3;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await downloadOnce(url, file, options);
    } catch (error) {
      rmSync(file, { force: true });
      last = error;
      const retry = !(error instanceof CrateRuntimeError) || (error as { transient?: boolean }).transient === true;
      if (!retry || attempt === attempts) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
    }
  }
  if (last instanceof CrateRuntimeError) throw last;
  throw new CrateRuntimeError(`Could not download ${url}: ${last instanceof Error ? last.message : String(last)}`, { cause: last });
}

class TransientDownloadError extends CrateRuntimeError {
  readonly transient = true;
}

async function downloadOnce(url: string, file: string, options: DownloadOptions): Promise<Downloaded> {
  const stall = new AbortController();
  const stallTimeout = options.stallTimeout ?? 60_000;
  let timer = setTimeout(() => stall.abort(), stallTimeout);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), stallTimeout);
  };
  try {
    const response = await fetch(url, { signal: stall.signal, redirect: 'follow' });
    if (response.status === 404) throw new DownloadNotFound(`${url} answered 404: there is no such archive`);
    if (!response.ok || !response.body) {
      const message = `${url} answered ${response.status} ${response.statusText}`;
      throw TRANSIENT_STATUS.has(response.status) ? new TransientDownloadError(message) : new CrateRuntimeError(message);
    }
    const announced = Number(response.headers.get('content-length') ?? NaN);
    const hash = createHash('sha256');
    let received = 0;
    const progress = progressReporter(options, Number.isFinite(announced) ? announced : undefined);
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        touch();
        received += chunk.length;
        hash.update(chunk);
        progress.update(received);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), count, createWriteStream(file));
    } catch (error) {
      progress.done(false);
      if (stall.signal.aborted) throw new TransientDownloadError(`${url} sent nothing for ${Math.round(stallTimeout / 1000)} s after ${megabytes(received)}`);
      throw new TransientDownloadError(`the download of ${url} broke off after ${megabytes(received)}${Number.isFinite(announced) ? ` of ${megabytes(announced)}` : ''}: ${(error as Error).message}`, { cause: error });
    }
    progress.done(true);
    if (Number.isFinite(announced) && received !== announced) {
      throw new TransientDownloadError(`the download of ${url} ended after ${received} of the ${announced} bytes announced: it is truncated`);
    }
    const sha256 = hash.digest('hex');
    if (options.sha256 !== undefined && options.sha256.toLowerCase() !== sha256) {
      throw new CrateRuntimeError(`the archive downloaded from ${url} has SHA-256 ${sha256}, but ${options.sha256} was expected: it is not the archive asked for, or it is corrupt`);
    }
    return { bytes: received, sha256 };
  } catch (error) {
    if (error instanceof CrateRuntimeError) throw error;
    if (stall.signal.aborted) throw new TransientDownloadError(`${url} did not answer within ${Math.round(stallTimeout / 1000)} s`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new TransientDownloadError(`Could not download ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function progressReporter(options: DownloadOptions, total: number | undefined) {
  const out = options.progress;
  const tty = out?.isTTY === true;
  let lastDrawn = 0;
  const line = (received: number) =>
    `${options.label}: ${megabytes(received)}${total ? ` of ${megabytes(total)} (${Math.floor((received / total) * 100)} %)` : ''}`;
  const bar = (received: number) => {
    if (!total) return '';
    const width = 24;
    const filled = Math.round((received / total) * width);
    return ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  };
  if (out && !tty) out.write(`${options.label}${total ? ` (${megabytes(total)})` : ''}...\n`);
  return {
    update(received: number) {
      if (!tty || Date.now() - lastDrawn < 200) return;
      lastDrawn = Date.now();
      out!.write(`\r${line(received)}${bar(received)}\x1b[K`);
    },
    done(ok: boolean) {
      if (!out) return;
      if (tty) out.write(ok ? `\r${options.label}: done\x1b[K\n` : '\n');
      else if (ok) out.write(`${options.label}: done\n`);
    },
  };
}
