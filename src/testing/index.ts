/**
 * drizzle-cratedb/testing: a CrateDB for a test suite. `startCrateDB()` reuses the CrateDB named by CRATEDB_URL (or,
 * for a cluster, CRATEDB_CLUSTER_URLS) when set, and otherwise starts one in containers with testcontainers: one
 * node, or a cluster of `nodes` on one Docker network. It returns the URLs and `stop()`.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../shared/node-version.js';
import { CrateConfigError } from '../shared/errors.js';
import { checkOptionKeys } from '../shared/options.js';
import { startContainers, type CrateTestNode } from './containers.js';

export type { CrateTestNode } from './containers.js';

/** The image started when none is given: the CrateDB release this package is tested against. */
export const DEFAULT_CRATEDB_IMAGE = 'crate:6.4.3';

export interface StartCrateDBOptions {
  /** 1 (the default) starts a single-node CrateDB; more start a cluster of that many nodes on one Docker network. */
  nodes?: number;
  /** The image, `crate:6.4.3` by default; a tag alone (`'6.4'`) means the official `crate` image with that tag. */
  image?: string;
  /** CRATE_HEAP_SIZE of each node, `'1g'` by default. */
  heapSize?: string;
  /** Use CRATEDB_URL / CRATEDB_CLUSTER_URLS when set (the default); `false` always starts containers. */
  reuse?: boolean;
  /** Host ports for the nodes' HTTP, one per node; fixed ports keep a node's URL when it is killed and started. */
  hostPorts?: readonly number[];
  /** How long a node may take to answer `GET /` with 200, in milliseconds (180 000 by default). */
  startupTimeout?: number;
  /** More CrateDB settings for every node, passed as `-C<key>=<value>`. */
  settings?: Readonly<Record<string, string | number | boolean>>;
}

export interface CrateDBForTests {
  /** The first node's URL: what `drizzle(url)` takes. */
  readonly url: string;
  /** Every node's URL: what `drizzle({ connection: { servers: urls } })` takes. */
  readonly urls: readonly string[];
  /** Where the CrateDB came from. */
  readonly source: 'CRATEDB_URL' | 'CRATEDB_CLUSTER_URLS' | 'testcontainers';
  /** The image started; undefined when an existing CrateDB was reused. */
  readonly image: string | undefined;
  /** The started nodes with kill/start/pause/resume; empty when an existing CrateDB was reused. */
  readonly nodes: readonly CrateTestNode[];
  /** Stops the containers (and their network); does nothing for a reused CrateDB. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const OPTION_NAMES = ['nodes', 'image', 'heapSize', 'reuse', 'hostPorts', 'startupTimeout', 'settings'] as const;

function urlList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((url) => url.trim()).filter(Boolean);
}

function reused(source: 'CRATEDB_URL' | 'CRATEDB_CLUSTER_URLS', urls: string[]): CrateDBForTests {
  const stop = async () => {};
  return { url: urls[0]!, urls, source, image: undefined, nodes: [], stop, [Symbol.asyncDispose]: stop };
}

/** Starts (or finds) a CrateDB for tests; see the module comment. */
export async function startCrateDB(options: StartCrateDBOptions = {}): Promise<CrateDBForTests> {
  checkOptionKeys('startCrateDB()', options, OPTION_NAMES);
  const nodes = options.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1) throw new CrateConfigError(`startCrateDB(): \`nodes\` must be a whole number of at least 1, got ${String(nodes)}`);
  if (options.hostPorts !== undefined && options.hostPorts.length !== nodes) {
    throw new CrateConfigError(`startCrateDB(): \`hostPorts\` names ${options.hostPorts.length} port(s) for ${nodes} node(s); give one per node`);
  }
  if (options.reuse !== false) {
    if (nodes === 1 && process.env.CRATEDB_URL) return reused('CRATEDB_URL', [process.env.CRATEDB_URL]);
    const clusterUrls = urlList(process.env.CRATEDB_CLUSTER_URLS);
    if (nodes > 1 && clusterUrls.length > 0) {
      if (clusterUrls.length !== nodes) {
        throw new CrateConfigError(`startCrateDB(): CRATEDB_CLUSTER_URLS names ${clusterUrls.length} node(s), but ${nodes} were asked for`);
      }
      return reused('CRATEDB_CLUSTER_URLS', clusterUrls);
    }
  }
  const requested = options.image ?? DEFAULT_CRATEDB_IMAGE;
  const image = requested.includes(':') || requested.includes('/') ? requested : `crate:${requested}`;
  const started = await startContainers({
    image,
    nodes,
    heapSize: options.heapSize ?? '1g',
    hostPorts: options.hostPorts,
    startupTimeout: options.startupTimeout ?? 180_000,
    settings: options.settings ?? {},
  });
  const urls = started.nodes.map((node) => node.url);
  return { url: urls[0]!, urls, source: 'testcontainers', image, nodes: started.nodes, stop: started.stop, [Symbol.asyncDispose]: started.stop };
}
