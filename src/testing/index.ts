/**
 * drizzle-cratedb/testing: a CrateDB for a test suite. `startCrateDB()` takes the first of these that is there:
 *
 * 1. a running CrateDB: CRATEDB_URL (or, for a cluster, CRATEDB_CLUSTER_URLS), reused and never stopped;
 * 2. a release tarball, CRATEDB_TARBALL (a path or a URL), unpacked once into a cache and run as processes;
 * 3. an unpacked CrateDB folder, CRATEDB_HOME, run as processes;
 * 4. Docker, through testcontainers (an optional peer dependency);
 * 5. CRATEDB_VERSION (the version this package is tested with by default), downloaded once for this platform into
 *    the cache and run as processes, unless CRATEDB_DOWNLOAD=0.
 *
 * Options override the variables. It returns the URLs, the started nodes (with kill, start, pause and resume for
 * failover tests) and `stop()`, which leaves no process and no temporary folder behind.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../shared/node-version.js';
import { CrateConfigError, CrateRuntimeError } from '../shared/errors.js';
import { checkOptionKeys } from '../shared/options.js';
import { startContainers } from './containers.js';
import { checkHome, defaultCacheDir, DEFAULT_CRATEDB_VERSION, installTarballFile, installTarballUrl, installVersion, isUrl, type InstallOptions } from './install.js';
import type { CrateTestNode, NodesPlan } from './node.js';
import { currentEuid, lookUpUser, resolveNodeUser } from './node-user.js';
import { startProcesses } from './processes.js';

export type { CrateTestNode } from './node.js';
export { DEFAULT_CRATEDB_VERSION, DEFAULT_DOWNLOAD_MIRROR, releasePlatform, releaseUrl } from './install.js';

/** The image started when none is given: the CrateDB release this package is tested against. */
export const DEFAULT_CRATEDB_IMAGE = `crate:${DEFAULT_CRATEDB_VERSION}`;

export interface StartCrateDBOptions {
  /** 1 (the default) starts a single-node CrateDB; more start a cluster of that many nodes. */
  nodes?: number;
  /** Use CRATEDB_URL / CRATEDB_CLUSTER_URLS when set (the default); `false` always starts a CrateDB. */
  reuse?: boolean;
  /** A release tarball to run, as a path or a URL (CRATEDB_TARBALL). */
  tarball?: string;
  /** An unpacked CrateDB folder to run (CRATEDB_HOME). */
  home?: string;
  /** The CrateDB version to download, and the container tag (CRATEDB_VERSION; 6.4.3 by default). */
  version?: string;
  /** `false` never downloads CrateDB (CRATEDB_DOWNLOAD=0). */
  download?: boolean;
  /** The base URL of release downloads instead of CrateDB's own (CRATEDB_DOWNLOAD_MIRROR). */
  mirror?: string;
  /** The SHA-256 the tarball must have (CRATEDB_SHA256); a `<tarball>.sha256` file beside a tarball on disk is checked too. */
  sha256?: string;
  /** Where tarballs and downloads are unpacked (CRATEDB_CACHE_DIR). */
  cacheDir?: string;
  /** The unprivileged user nodes run as when this process is root (CRATEDB_USER); CrateDB refuses to run as root. */
  user?: string;
  /** A container image; giving one means containers. A tag alone (`'6.4'`) means the official `crate` image. */
  image?: string;
  /** CRATE_HEAP_SIZE of each node, `'1g'` by default. */
  heapSize?: string;
  /** The nodes' HTTP ports, one per node; free ones are chosen otherwise (containers: host ports published). */
  hostPorts?: readonly number[];
  /** How long a node may take to answer `GET /` with 200, in milliseconds (180 000 by default). */
  startupTimeout?: number;
  /** More CrateDB settings for every node, passed as `-C<key>=<value>`. */
  settings?: Readonly<Record<string, string | number | boolean>>;
}

/** Where a CrateDB for tests came from: the variable (or option) that named it, Docker, or a download. */
export type CrateDBSource = 'CRATEDB_URL' | 'CRATEDB_CLUSTER_URLS' | 'CRATEDB_TARBALL' | 'CRATEDB_HOME' | 'testcontainers' | 'download';

export interface CrateDBForTests {
  /** The first node's URL: what `drizzle(url)` takes. */
  readonly url: string;
  /** Every node's URL: what `drizzle({ connection: { servers: urls } })` takes. */
  readonly urls: readonly string[];
  readonly source: CrateDBSource;
  /** The image started; undefined unless containers were started. */
  readonly image: string | undefined;
  /** The unpacked CrateDB the nodes run from; undefined unless processes were started. */
  readonly home: string | undefined;
  /** The started nodes with kill/start/pause/resume; empty when an existing CrateDB was reused. */
  readonly nodes: readonly CrateTestNode[];
  /** Stops what was started and removes its data; does nothing for a reused CrateDB. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const OPTION_NAMES = [
  'nodes', 'reuse', 'tarball', 'home', 'version', 'download', 'mirror', 'sha256', 'cacheDir', 'user', 'image', 'heapSize', 'hostPorts', 'startupTimeout', 'settings',
] as const;

/** The environment variables `startCrateDB()` reads, in the order it tries them, for messages. */
export const CRATEDB_VARIABLES = ['CRATEDB_URL', 'CRATEDB_TARBALL', 'CRATEDB_HOME', 'CRATEDB_VERSION', 'CRATEDB_DOWNLOAD', 'CRATEDB_USER'] as const;

function urlList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((url) => url.trim()).filter(Boolean);
}

/** A switch from the environment: `0`, `false`, `no` and `off` turn it off. */
function envSwitch(value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return !/^(0|false|no|off)$/i.test(value.trim());
}

function result(fields: Omit<CrateDBForTests, 'url' | typeof Symbol.asyncDispose> & { urls: string[] }): CrateDBForTests {
  return { ...fields, url: fields.urls[0]!, [Symbol.asyncDispose]: fields.stop };
}

function reused(source: 'CRATEDB_URL' | 'CRATEDB_CLUSTER_URLS', urls: string[]): CrateDBForTests {
  return result({ urls, source, image: undefined, home: undefined, nodes: [], stop: async () => {} });
}

function say(line: string): void {
  process.stderr.write(`drizzle-cratedb/testing: ${line}\n`);
}

/** Starts (or finds) a CrateDB for tests; see the module comment. */
export async function startCrateDB(options: StartCrateDBOptions = {}): Promise<CrateDBForTests> {
  checkOptionKeys('startCrateDB()', options, OPTION_NAMES);
  const env = process.env;
  const nodes = options.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1) throw new CrateConfigError(`startCrateDB(): \`nodes\` must be a whole number of at least 1, got ${String(nodes)}`);
  if (options.hostPorts !== undefined && options.hostPorts.length !== nodes) {
    throw new CrateConfigError(`startCrateDB(): \`hostPorts\` names ${options.hostPorts.length} port(s) for ${nodes} node(s); give one per node`);
  }
  if (options.reuse !== false) {
    if (nodes === 1 && env.CRATEDB_URL) return reused('CRATEDB_URL', [env.CRATEDB_URL]);
    const clusterUrls = urlList(env.CRATEDB_CLUSTER_URLS);
    if (nodes > 1 && clusterUrls.length > 0) {
      if (clusterUrls.length !== nodes) {
        throw new CrateConfigError(`startCrateDB(): CRATEDB_CLUSTER_URLS names ${clusterUrls.length} node(s), but ${nodes} were asked for`);
      }
      return reused('CRATEDB_CLUSTER_URLS', clusterUrls);
    }
  }

  const version = options.version ?? (env.CRATEDB_VERSION?.trim() || DEFAULT_CRATEDB_VERSION);
  const common: NodesPlan = {
    nodes,
    hostPorts: options.hostPorts,
    heapSize: options.heapSize ?? '1g',
    startupTimeout: options.startupTimeout ?? 180_000,
    settings: options.settings ?? {},
  };
  if (options.image !== undefined) return containers(options.image, common);

  const euid = currentEuid();
  const install = installOptions(options);
  const asProcesses = async (source: CrateDBSource, findHome: () => Promise<string>): Promise<CrateDBForTests> => {
    // Before anything is unpacked: root without a user named fails at once, saying how to name one.
    const user = resolveNodeUser({ euid, requested: options.user ?? env.CRATEDB_USER, lookUp: lookUpUser });
    const home = await findHome();
    const started = await startProcesses({ ...common, home, user });
    return result({ urls: started.nodes.map((node) => node.url), source, image: undefined, home, nodes: started.nodes, stop: started.stop });
  };

  const local = localSource(options);
  if (local !== undefined) return asProcesses(local.source, () => local.install(install));

  let dockerReason: string;
  try {
    return await containers(version, common);
  } catch (error) {
    if (!(error instanceof CrateRuntimeError)) throw error;
    // Its first sentence: what testcontainers said.
    dockerReason = error.message.split('\n')[0]!.replace(/\. Start a Docker engine.*$/, '');
  }
  const download = options.download ?? envSwitch(env.CRATEDB_DOWNLOAD) ?? true;
  if (!download) throw nothingFound(dockerReason, 'turned off (CRATEDB_DOWNLOAD=0)');
  say(`no CRATEDB_URL, CRATEDB_TARBALL or CRATEDB_HOME, and no Docker; running CrateDB ${version} from its release tarball`);
  return asProcesses('download', () =>
    installVersion(version, install).catch((error: unknown) => {
      // A download that fails ends the list of ways tried; a node that then fails to start speaks for itself.
      if (!(error instanceof CrateRuntimeError)) throw error;
      throw nothingFound(dockerReason, error.message.split('\n')[0]!, error);
    }),
  );
}

function installOptions(options: Pick<StartCrateDBOptions, 'cacheDir' | 'sha256' | 'mirror'>): InstallOptions {
  const env = process.env;
  return {
    cacheDir: options.cacheDir ?? defaultCacheDir(env, currentEuid()),
    sha256: options.sha256 ?? (env.CRATEDB_SHA256 || undefined),
    mirror: options.mirror ?? (env.CRATEDB_DOWNLOAD_MIRROR || undefined),
    progress: process.stderr,
  };
}

/** CRATEDB_TARBALL or CRATEDB_HOME (or their options), the first two ways to run CrateDB as processes. */
function localSource(options: Pick<StartCrateDBOptions, 'tarball' | 'home'>): { source: CrateDBSource; install: (install: InstallOptions) => Promise<string> } | undefined {
  const env = process.env;
  // An option beats every variable: `home` given in code wins over CRATEDB_TARBALL in the environment.
  const [tarball, home] =
    options.tarball !== undefined || options.home !== undefined ? [options.tarball, options.home] : [env.CRATEDB_TARBALL || undefined, env.CRATEDB_HOME || undefined];
  if (tarball !== undefined) {
    return { source: 'CRATEDB_TARBALL', install: (install) => (isUrl(tarball) ? installTarballUrl(tarball, install) : installTarballFile(tarball, install)) };
  }
  if (home !== undefined) return { source: 'CRATEDB_HOME', install: async () => checkHome(home) };
  return undefined;
}

export type InstallCrateDBOptions = Pick<StartCrateDBOptions, 'tarball' | 'home' | 'version' | 'download' | 'mirror' | 'sha256' | 'cacheDir'>;

/**
 * An unpacked CrateDB, without starting it: CRATEDB_TARBALL (unpacked once into the cache), CRATEDB_HOME, else
 * CRATEDB_VERSION downloaded once (unless CRATEDB_DOWNLOAD=0). Returns the folder holding `bin/crate`. For a test
 * run's global setup that wants the download done once, before workers start nodes with `home`.
 */
export async function installCrateDB(options: InstallCrateDBOptions = {}): Promise<string> {
  checkOptionKeys('installCrateDB()', options, ['tarball', 'home', 'version', 'download', 'mirror', 'sha256', 'cacheDir']);
  const install = installOptions(options);
  const local = localSource(options);
  if (local !== undefined) return local.install(install);
  if (!(options.download ?? envSwitch(process.env.CRATEDB_DOWNLOAD) ?? true)) {
    throw new CrateRuntimeError('installCrateDB(): no CRATEDB_TARBALL or CRATEDB_HOME, and downloads are turned off (CRATEDB_DOWNLOAD=0)');
  }
  return installVersion(options.version ?? (process.env.CRATEDB_VERSION?.trim() || DEFAULT_CRATEDB_VERSION), install);
}

async function containers(requested: string, common: NodesPlan): Promise<CrateDBForTests> {
  const image = requested.includes(':') || requested.includes('/') ? requested : `crate:${requested}`;
  const started = await startContainers({ ...common, image });
  return result({ urls: started.nodes.map((node) => node.url), source: 'testcontainers', image, home: undefined, nodes: started.nodes, stop: started.stop });
}

function nothingFound(docker: string, download: string, cause?: unknown): CrateRuntimeError {
  return new CrateRuntimeError(
    [
      'No CrateDB for tests. Tried, in this order:',
      '  CRATEDB_URL       not set (a running CrateDB, e.g. http://localhost:4200)',
      '  CRATEDB_TARBALL   not set (a CrateDB release tarball: a path or a URL)',
      '  CRATEDB_HOME      not set (an unpacked CrateDB folder)',
      `  Docker            ${docker}`,
      `  download          ${download}`,
    ].join('\n'),
    cause === undefined ? undefined : { cause },
  );
}
