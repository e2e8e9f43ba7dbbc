/**
 * An unpacked CrateDB to run: from a release tarball on disk or at a URL, from a version downloaded for this
 * platform, or a folder the user unpacked. Archives are unpacked once into a cache folder, under a name that says
 * which archive it was (its SHA-256 for a file, its URL for a download), into a temporary folder first and renamed
 * into place whole, so that a half-unpacked CrateDB is never found there. An archive that does not check out is
 * removed, and nothing of it is kept.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { CrateRuntimeError } from '../shared/errors.js';
import { download, DownloadNotFound } from './download.js';

/** The CrateDB release this package is tested against. */
export const DEFAULT_CRATEDB_VERSION = '6.4.3';

/** Where CrateDB publishes release tarballs, one folder per platform. */
export const DEFAULT_DOWNLOAD_MIRROR = 'https://cdn.crate.io/downloads/releases/cratedb';

export interface InstallOptions {
  /** Where archives are unpacked; see {@link defaultCacheDir}. */
  cacheDir: string;
  /** The SHA-256 the archive must have; a `<file>.sha256` next to a tarball on disk is checked too. */
  sha256?: string | undefined;
  /** Download progress goes here (a terminal gets a progress bar). */
  progress?: NodeJS.WriteStream | undefined;
  /** The base URL of release downloads, instead of CrateDB's own. */
  mirror?: string | undefined;
}

/**
 * The cache folder: CRATEDB_CACHE_DIR, else `$XDG_CACHE_HOME/drizzle-cratedb` or `~/.cache/drizzle-cratedb`. For root
 * it is `<tmpdir>/drizzle-cratedb-cache`: root's home is not readable by the unprivileged user the nodes run as.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv, euid: number | undefined): string {
  if (env.CRATEDB_CACHE_DIR) return resolve(env.CRATEDB_CACHE_DIR);
  if (euid === 0) return join(tmpdir(), 'drizzle-cratedb-cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'drizzle-cratedb');
}

/** CrateDB's name for this machine's platform in its download folders. */
export function releasePlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const cpu = arch === 'x64' ? 'x64' : arch === 'arm64' ? 'aarch64' : undefined;
  const os = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'mac' : undefined;
  if (cpu === undefined || os === undefined) {
    throw new CrateRuntimeError(
      `CrateDB publishes no tarball for ${platform} on ${arch} (only Linux and macOS, x64 and arm64; Windows gets .zip archives): ` +
        'unpack one yourself and set CRATEDB_HOME to its folder, or set CRATEDB_URL to a running CrateDB.',
    );
  }
  return `${cpu}_${os}`;
}

/** The URL of a release tarball. */
export function releaseUrl(version: string, platform: string, mirror: string = DEFAULT_DOWNLOAD_MIRROR): string {
  return `${mirror.replace(/\/+$/, '')}/${platform}/crate-${version}.tar.gz`;
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Checks that `path` is an unpacked CrateDB; returns it, absolute. */
export function checkHome(path: string, what = 'CRATEDB_HOME'): string {
  const home = resolve(path);
  if (!existsSync(home)) throw new CrateRuntimeError(`${what} names ${home}, which does not exist`);
  if (!existsSync(join(home, 'bin', 'crate'))) {
    throw new CrateRuntimeError(`${what} names ${home}, which is not an unpacked CrateDB: it has no bin/crate (name the folder that holds bin/, lib/ and jdk/)`);
  }
  return home;
}

/** Creates the cache folder, and refuses one that another user owns (it would choose what runs). */
function prepareCache(cacheDir: string): void {
  mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
  const stat = lstatSync(cacheDir);
  const euid = typeof process.geteuid === 'function' ? process.geteuid() : undefined;
  if (!stat.isDirectory() || (euid !== undefined && stat.uid !== euid)) {
    throw new CrateRuntimeError(`The CrateDB cache folder ${cacheDir} is not a folder of this user (uid ${euid}); set CRATEDB_CACHE_DIR to one that is`);
  }
}

/** A cached install, touched so that its age says when it was last used. */
function cached(target: string): string | undefined {
  if (!existsSync(join(target, 'bin', 'crate'))) return undefined;
  const now = new Date();
  try {
    utimesSync(target, now, now);
  } catch {
    // Only a hint for whoever cleans the cache.
  }
  return target;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The digest a `<file>.sha256` next to the tarball gives (`sha256sum` output), if there is one. */
function sidecarDigest(file: string): string | undefined {
  const sidecar = `${file}.sha256`;
  if (!existsSync(sidecar)) return undefined;
  const digest = /^\s*([0-9a-fA-F]{64})\b/.exec(readFileSync(sidecar, 'utf8'))?.[1];
  if (!digest) throw new CrateRuntimeError(`${sidecar} holds no SHA-256 digest (64 hex digits)`);
  return digest.toLowerCase();
}

function run(command: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stderr }));
  });
}

/** Unpacks `archive` into `target` (see the module comment); `label` names the archive in errors. */
async function unpack(archive: string, target: string, cacheDir: string, label: string): Promise<string> {
  const scratch = mkdtempSync(join(cacheDir, '.unpacking-'));
  try {
    // The system's tar keeps the archive's modes and symbolic links, which the bundled JDK needs.
    const result = await run('tar', ['-xzf', archive, '-C', scratch]).catch((error: NodeJS.ErrnoException) => {
      throw new CrateRuntimeError(`Unpacking ${label} needs the \`tar\` command, which could not be run (${error.code ?? error.message})`, { cause: error });
    });
    if (result.code !== 0) {
      const said = result.stderr.trim().split('\n').slice(-3).join(' / ');
      throw new CrateRuntimeError(`${label} could not be unpacked: it is truncated or corrupt (tar: ${said || `exit code ${result.code}`})`);
    }
    const entries = readdirSync(scratch);
    const top = entries.length === 1 && statSync(join(scratch, entries[0]!)).isDirectory() ? join(scratch, entries[0]!) : scratch;
    if (!existsSync(join(top, 'bin', 'crate'))) {
      throw new CrateRuntimeError(`${label} is not a CrateDB release tarball: it holds no bin/crate (found ${entries.slice(0, 5).join(', ') || 'nothing'})`);
    }
    try {
      renameSync(top, target);
    } catch (error) {
      // Another process unpacked the same archive first: use theirs.
      if (!cached(target)) throw error;
    }
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A release tarball on disk: checked against its digest when one is known, unpacked once. */
export async function installTarballFile(file: string, options: InstallOptions): Promise<string> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CrateRuntimeError(`CRATEDB_TARBALL names ${path}, which does not exist`);
  prepareCache(options.cacheDir);
  const sha256 = await sha256Of(path);
  for (const [expected, from] of [
    [sidecarDigest(path), `${path}.sha256`],
    [options.sha256?.toLowerCase(), 'CRATEDB_SHA256'],
  ] as const) {
    if (expected !== undefined && expected !== sha256) {
      throw new CrateRuntimeError(`${path} has SHA-256 ${sha256}, but ${from} says ${expected}: the tarball is corrupt or not the one meant`);
    }
  }
  const name = basename(path).replace(/\.(tar\.gz|tgz)$/, '');
  const target = join(options.cacheDir, `${name}-${sha256.slice(0, 12)}`);
  return cached(target) ?? unpack(path, target, options.cacheDir, path);
}

/** A release tarball at a URL: downloaded and checked once, unpacked, and the archive dropped. */
export async function installTarballUrl(url: string, options: InstallOptions, label = `CrateDB from ${url}`): Promise<string> {
  prepareCache(options.cacheDir);
  const name = basename(new URL(url).pathname).replace(/\.(tar\.gz|tgz)$/, '') || 'crate';
  const target = join(options.cacheDir, `${name}-${shortHash(url)}`);
  const found = cached(target);
  if (found) return found;
  const archive = join(options.cacheDir, `.download-${process.pid}-${randomBytes(4).toString('hex')}.tar.gz`);
  try {
    await download(url, archive, { sha256: options.sha256, label: `Downloading ${label}`, progress: options.progress });
    return await unpack(archive, target, options.cacheDir, `the archive downloaded from ${url}`);
  } finally {
    rmSync(archive, { force: true });
  }
}

/** A CrateDB version, downloaded for this platform from CrateDB's release folders (or a mirror of them). */
export async function installVersion(version: string, options: InstallOptions): Promise<string> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new CrateRuntimeError(`CRATEDB_VERSION must be a release such as ${DEFAULT_CRATEDB_VERSION}, got ${JSON.stringify(version)}`);
  const platform = releasePlatform();
  try {
    return await installTarballUrl(releaseUrl(version, platform, options.mirror), options, `CrateDB ${version} (${platform})`);
  } catch (error) {
    // No Apple-silicon build of this version: the x64 one runs under Rosetta, as CrateDB's own tools do.
    if (!(error instanceof DownloadNotFound) || platform !== 'aarch64_mac') throw error;
    return installTarballUrl(releaseUrl(version, 'x64_mac', options.mirror), options, `CrateDB ${version} (x64_mac)`);
  }
}

/** The part of a tarball location that says whether it is a URL. */
export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

