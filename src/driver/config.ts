/**
 * Client options: parsing connection strings, validating options and resolving them into one frozen, printable
 * configuration. Secrets (password, token, TLS private key) never enter that configuration; they are kept apart in
 * {@link ConnectionSecrets}, whose fields are private so that no printing or serialization path can reach them.
 */
import type { SecureVersion } from 'node:tls';
import { checkOptionKeys } from '../shared/options.js';
import type { CrateClientOptions, TlsOptions } from './client-options.js';
import { configError, normalizeServer, parseConnectionString, serverList, type ParsedServer } from './connection-url.js';
import { DEFAULT_HEDGE_CONFIG, type HedgeEvent, type ResolvedHedgeConfig } from './hedge.js';
import type { TransportName } from './http-exchange.js';

export { DEFAULT_SERVER } from './connection-url.js';

export type { CrateClientOptions, TlsOptions } from './client-options.js';

/** The effective configuration; safe to print or serialize (no secrets). */
export interface ResolvedClientConfig {
  /** Normalized base URLs without credentials, e.g. `http://localhost:4200`. */
  readonly servers: readonly string[];
  readonly username: string;
  readonly authentication: 'basic' | 'bearer' | 'none';
  readonly schema: string | undefined;
  /** Deadline of a call in ms; 0 = none. */
  readonly timeout: number;
  readonly connectTimeout: number;
  readonly poolSize: number;
  readonly keepAlive: boolean;
  readonly retryInterval: number;
  readonly backoffFactor: number;
  readonly retryTimeout: number;
  /** 0 = no probing. */
  readonly probeAfter: number;
  readonly probeTimeout: number;
  /** Hedged reads (`hedgedReads`, `hedge`); the event hook is kept apart (a function is no configuration to print). */
  readonly hedge: ResolvedHedgeConfig;
  readonly tls: ResolvedTlsConfig;
  readonly errorTrace: boolean;
  /** Request bodies larger than this many bytes are gzipped; null = never. */
  readonly compressionThreshold: number | null;
  readonly bigint: 'bigint' | 'string';
  /** The transport in use (`auto` resolved). */
  readonly transport: TransportName;
}

export interface ResolvedTlsConfig {
  readonly rejectUnauthorized: boolean;
  readonly minVersion: SecureVersion | undefined;
  readonly customCa: boolean;
  readonly clientCertificate: boolean;
}

const DEFAULT_USERNAME = 'crate';
// Bounded so that a burst of queries queues in the client instead of opening hundreds of HTTP sessions on CrateDB.
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECT_TIMEOUT = 10_000;
const DEFAULT_RETRY_INTERVAL = 30_000;
/**
 * After a node's death, CrateDB answered with transient errors for about 2 s (measured on three 6.4.3 nodes: see
 * docs/connecting.md); when a node hangs, the cluster drops it after its follower checks fail (3 × 10 s by default)
 * and errors come then. 10 s
 * covers the first with room to spare without keeping a caller waiting long when the cluster does not recover.
 */
const DEFAULT_RETRY_TIMEOUT = 10_000;
/**
 * Probing costs one `GET /` per waiting server per second: nothing next to queries that run that long. A request to
 * a server hung from the start ends after about probeAfter + probeTimeout = 3 s.
 */
const DEFAULT_PROBE_AFTER = 1_000;
/** CrateDB answers `GET /` in about a millisecond; 2 s leaves room for a loaded node or a long GC pause. */
const DEFAULT_PROBE_TIMEOUT = 2_000;
/**
 * gzip request bodies above 8 KiB, as crate-python does. Measured with bench/driver.ts (Node 24, loopback, gzip level
 * 1): compressing costs 0.04 ms for a 6 KB bulk INSERT body (→ 4.3× smaller), 0.13 ms for 66 KB (→ 5×), 2 ms for
 * 700 KB (→ 5×). On loopback that is pure cost (700 KB bulk: 9.8 ms plain vs 13.7 ms gzipped). Over a network it
 * pays: 66 KB take 5.3 ms on 100 Mbit/s and 0.5 ms on 1 Gbit/s, against 0.13 ms + a fifth of the transfer gzipped.
 * Around 8 KB the gain on a 1 Gbit/s link (~0.05 ms) roughly equals the cost, and below that the body fits into a few
 * TCP segments either way: hence a threshold rather than "always".
 */
export const DEFAULT_COMPRESSION_THRESHOLD = 8192;

const TLS_VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Password/token and TLS material: reachable only through methods, invisible to JSON and `util.inspect`. */
export class ConnectionSecrets {
  readonly #authorization: string | undefined;
  readonly #tls: Pick<TlsOptions, 'ca' | 'cert' | 'key'>;

  constructor(authorization: string | undefined, tls: Pick<TlsOptions, 'ca' | 'cert' | 'key'>) {
    this.#authorization = authorization;
    this.#tls = tls;
  }

  /** The `Authorization` header value, if any. */
  authorization(): string | undefined {
    return this.#authorization;
  }

  tlsMaterial(): Pick<TlsOptions, 'ca' | 'cert' | 'key'> {
    return this.#tls;
  }

  toJSON(): string {
    return '[redacted]';
  }

  // Node's `util.inspect.custom`, by its registered symbol: no import of node:util, which other runtimes lack.
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'ConnectionSecrets [redacted]';
  }
}

export interface ResolvedSettings {
  config: ResolvedClientConfig;
  secrets: ConnectionSecrets;
  now: () => number;
  onHedge: ((event: HedgeEvent) => void) | undefined;
}

const OPTION_KEYS: readonly (keyof CrateClientOptions)[] = [
  'servers',
  'username',
  'password',
  'token',
  'schema',
  'timeout',
  'connectTimeout',
  'poolSize',
  'keepAlive',
  'retryInterval',
  'backoffFactor',
  'retryTimeout',
  'probeAfter',
  'probeTimeout',
  'hedgedReads',
  'hedge',
  'tls',
  'ssl',
  'errorTrace',
  'compression',
  'bigint',
  'now',
  'transport',
];
const TLS_KEYS: readonly (keyof TlsOptions)[] = ['ca', 'cert', 'key', 'rejectUnauthorized', 'minVersion'];

/**
 * What a string argument of `new CrateClient(...)` means: a URL with a scheme is a connection URL; anything else is a
 * server list as crate-python's `connect()` takes it (`'host1:4200 host2:4200'`).
 */
function optionsFromString(text: string): CrateClientOptions {
  const trimmed = text.trim();
  return /^[a-z][a-z0-9+.-]*:\/\/\S*$/i.test(trimmed) ? parseConnectionString(trimmed) : { servers: trimmed };
}

/** Resolves a connection URL or an options object into the frozen configuration plus the secrets kept apart from it. */
/**
 * @param undici whether a Node entry point registered the undici transport (transport-api.ts); passed in by the client
 *   so that this module needs nothing of the transports.
 */
export function resolveSettings(input: string | CrateClientOptions = {}, undici = false): ResolvedSettings {
  const options = typeof input === 'string' ? optionsFromString(input) : input;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw configError('expected a connection URL or an options object');
  checkOptionKeys('CrateClient', options, OPTION_KEYS);

  const ssl = optionalBoolean('ssl', options.ssl) ?? false;
  const parsedServers = serverList(options.servers).map((spec, index) => normalizeServer(spec, ssl, index));
  const servers = [...new Set(parsedServers.map((server) => server.url))];
  const credentials = resolveCredentials(options, parsedServers);

  const schema = optionalString('schema', options.schema);
  if (schema !== undefined && (schema === '' || /[\0-\x1f\x7f]/.test(schema))) throw configError(`invalid schema name ${JSON.stringify(schema)}`, 'schema');

  const timeout = optionalNumber('timeout', options.timeout, 0);
  const tls = options.tls ?? {};
  if (typeof tls !== 'object' || tls === null) throw configError("option 'tls' must be an object", 'tls');
  checkOptionKeys('CrateClient', tls, TLS_KEYS, 'tls.');
  const minVersion = tls.minVersion;
  if (minVersion !== undefined && !TLS_VERSIONS.includes(minVersion)) {
    throw configError(`option 'tls.minVersion' must be one of ${TLS_VERSIONS.join(', ')}`, 'tls.minVersion');
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw configError("options 'tls.cert' and 'tls.key' go together", tls.cert === undefined ? 'tls.cert' : 'tls.key');

  const bigint = options.bigint ?? 'bigint';
  if (bigint !== 'bigint' && bigint !== 'string') throw configError("option 'bigint' must be 'bigint' or 'string'", 'bigint');
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw configError("option 'now' must be a function", 'now');

  const transport = resolveTransport(options, undici);
  const hedge = resolveHedge(options);

  const config: ResolvedClientConfig = Object.freeze({
    servers: Object.freeze(servers),
    username: credentials.username ?? DEFAULT_USERNAME,
    authentication: credentials.token !== undefined ? 'bearer' : credentials.authorization !== undefined ? 'basic' : 'none',
    schema,
    timeout: timeout ?? 0,
    connectTimeout: optionalNumber('connectTimeout', options.connectTimeout, 1) ?? (timeout || DEFAULT_CONNECT_TIMEOUT),
    poolSize: optionalInteger('poolSize', options.poolSize, 1) ?? DEFAULT_POOL_SIZE,
    keepAlive: optionalBoolean('keepAlive', options.keepAlive) ?? true,
    retryInterval: optionalNumber('retryInterval', options.retryInterval, 0) ?? DEFAULT_RETRY_INTERVAL,
    backoffFactor: optionalNumber('backoffFactor', options.backoffFactor, 0) ?? 0,
    retryTimeout: optionalNumber('retryTimeout', options.retryTimeout, 0) ?? DEFAULT_RETRY_TIMEOUT,
    probeAfter: optionalNumber('probeAfter', options.probeAfter, 0) ?? DEFAULT_PROBE_AFTER,
    probeTimeout: optionalNumber('probeTimeout', options.probeTimeout, 1) ?? DEFAULT_PROBE_TIMEOUT,
    hedge: hedge.config,
    tls: Object.freeze({
      rejectUnauthorized: optionalBoolean('tls.rejectUnauthorized', tls.rejectUnauthorized) ?? true,
      minVersion,
      customCa: tls.ca !== undefined,
      clientCertificate: tls.cert !== undefined,
    }),
    errorTrace: optionalBoolean('errorTrace', options.errorTrace) ?? false,
    compressionThreshold: compressionThreshold(options.compression),
    bigint,
    transport,
  });
  return { config, secrets: new ConnectionSecrets(credentials.authorization, { ca: tls.ca, cert: tls.cert, key: tls.key }), now, onHedge: hedge.onEvent };
}

const HEDGE_KEYS = ['minDelay', 'maxDelay', 'percentile', 'maxPerRead', 'perSecond', 'onEvent'] as const;

/** `hedgedReads` and `hedge`: defaults from hedge.ts, bounds checked (a floor above the ceiling is refused). */
function resolveHedge(options: CrateClientOptions): { config: ResolvedHedgeConfig; onEvent: ((event: HedgeEvent) => void) | undefined } {
  const enabled = optionalBoolean('hedgedReads', options.hedgedReads) ?? DEFAULT_HEDGE_CONFIG.enabled;
  const hedge = options.hedge ?? {};
  if (typeof hedge !== 'object' || hedge === null || Array.isArray(hedge)) throw configError("option 'hedge' must be an object", 'hedge');
  checkOptionKeys('CrateClient', hedge, HEDGE_KEYS, 'hedge.');
  const minDelay = optionalNumber('hedge.minDelay', hedge.minDelay, 0) ?? Math.min(DEFAULT_HEDGE_CONFIG.minDelay, hedge.maxDelay ?? Infinity);
  const maxDelay = optionalNumber('hedge.maxDelay', hedge.maxDelay, 0) ?? Math.max(DEFAULT_HEDGE_CONFIG.maxDelay, minDelay);
  if (minDelay > maxDelay) throw configError("option 'hedge.minDelay' must not exceed 'hedge.maxDelay'", 'hedge.minDelay');
  const percentile = optionalNumber('hedge.percentile', hedge.percentile, 0) ?? DEFAULT_HEDGE_CONFIG.percentile;
  if (percentile <= 0 || percentile > 100) throw configError("option 'hedge.percentile' must be a number in (0, 100]", 'hedge.percentile');
  const onEvent = hedge.onEvent;
  if (onEvent !== undefined && typeof onEvent !== 'function') throw configError("option 'hedge.onEvent' must be a function", 'hedge.onEvent');
  const config: ResolvedHedgeConfig = Object.freeze({
    enabled,
    minDelay,
    maxDelay,
    percentile,
    maxPerRead: optionalInteger('hedge.maxPerRead', hedge.maxPerRead, 0) ?? DEFAULT_HEDGE_CONFIG.maxPerRead,
    perSecond: optionalNumber('hedge.perSecond', hedge.perSecond, 0) ?? DEFAULT_HEDGE_CONFIG.perSecond,
  });
  return { config, onEvent };
}

interface Credentials {
  username: string | undefined;
  token: string | undefined;
  authorization: string | undefined;
}

/**
 * Credentials from the options and from server URLs. Like crate-python, URL credentials serve when the options give
 * none. Given in both places they must agree: sending a URL's password for another user named in the options would
 * be a guess. A token goes alone, as crate-python requires.
 */
function resolveCredentials(options: CrateClientOptions, servers: readonly ParsedServer[]): Credentials {
  const optionUser = optionalString('username', options.username);
  const optionPassword = optionalString('password', options.password);
  const token = optionalString('token', options.token);

  const carrying = servers.map((server, index) => ({ ...server, index })).filter((server) => server.username !== undefined || server.password !== undefined);
  const fromUrl = carrying[0];
  for (const other of carrying.slice(1)) {
    if (other.username !== fromUrl!.username || other.password !== fromUrl!.password) {
      throw configError(`servers[${fromUrl!.index}] and servers[${other.index}] carry different credentials; give them once, as options`, 'servers');
    }
  }
  if (fromUrl && optionUser !== undefined && optionUser !== (fromUrl.username ?? DEFAULT_USERNAME)) {
    throw configError(
      `option 'username' names another user than the credentials in servers[${fromUrl.index}]; give the credentials in one place`,
      'username',
    );
  }
  if (fromUrl?.password !== undefined && optionPassword !== undefined && optionPassword !== fromUrl.password) {
    throw configError(`option 'password' differs from the password in servers[${fromUrl.index}]; give the credentials in one place`, 'password');
  }
  const username = optionUser ?? fromUrl?.username;
  const password = optionPassword ?? fromUrl?.password;

  if (token !== undefined) {
    if (username !== undefined || password !== undefined) {
      throw configError('give either a token or a user name and password, not both (a token names its user itself)', 'token');
    }
    if (!/^[\x21-\x7e]+$/.test(token)) throw configError('the token contains characters not allowed in an HTTP header', 'token');
    return { username: undefined, token, authorization: `Bearer ${token}` };
  }
  const authorization =
    username !== undefined || password !== undefined
      ? `Basic ${base64Utf8(`${username ?? DEFAULT_USERNAME}:${password ?? ''}`)}`
      : undefined;
  return { username, token: undefined, authorization };
}

/** The same configuration with another default schema (for `withSchema`). */
export function withSchemaConfig(config: ResolvedClientConfig, schema: string): ResolvedClientConfig {
  if (typeof schema !== 'string' || schema === '' || /[\0-\x1f\x7f]/.test(schema)) throw configError(`invalid schema name ${JSON.stringify(schema)}`, 'schema');
  if (config.transport === 'fetch') throw configError(fetchSchemaRefusal('withSchema()'), 'schema');
  return Object.freeze({ ...config, schema });
}

/** Base64 of the UTF-8 bytes of `text` (Basic auth), without Node's Buffer, which not every runtime has. */
function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fetchSchemaRefusal(what: string): string {
  return (
    `${what} is not supported on the fetch transport: CrateDB fixes a connection's default schema on its first request ` +
    'and fetch gives no control over which connection a request takes, so the schema could silently be the wrong one. ' +
    "Qualify the tables instead (crateSchema('name').table(...), or schema.table in SQL), or use transport 'undici' on Node"
  );
}

/** Options that need control over connections, which fetch does not give. */
const NODE_ONLY_OPTIONS: readonly [keyof CrateClientOptions, string][] = [
  ['poolSize', 'the runtime pools its connections itself'],
  ['keepAlive', 'the runtime decides whether connections are reused'],
  ['connectTimeout', 'fetch has no connect timeout; use timeout, which covers the whole call'],
];

/**
 * `auto` → undici where a Node entry point registered it (and it works: not Bun's stand-in), fetch elsewhere. On
 * fetch, options it cannot honour are refused rather than ignored.
 */
function resolveTransport(options: CrateClientOptions, undici: boolean): TransportName {
  const wanted = options.transport ?? 'auto';
  if (wanted !== 'auto' && wanted !== 'undici' && wanted !== 'fetch') throw configError("option 'transport' must be 'auto', 'undici' or 'fetch'", 'transport');
  if (wanted === 'undici' && !undici) {
    throw configError(
      "option 'transport' is 'undici', but undici is not available here: this runtime loaded drizzle-cratedb's fetch-only build " +
        "(Bun, Deno, Workers, edge runtimes), or its undici cannot send requests (Bun's stand-in). Use transport 'fetch' or 'auto'",
      'transport',
    );
  }
  const transport: TransportName = wanted === 'auto' ? (undici ? 'undici' : 'fetch') : wanted;
  if (transport === 'fetch') {
    for (const [name, why] of NODE_ONLY_OPTIONS) {
      if (options[name] !== undefined) throw configError(`option '${name}' is not supported on the fetch transport: ${why}`, name);
    }
    if (options.tls !== undefined) {
      throw configError(
        "option 'tls' is not supported on the fetch transport: fetch uses the runtime's certificate store and offers no client " +
          'certificates, custom CAs, TLS versions or unverified certificates',
        'tls',
      );
    }
    if (options.schema !== undefined) throw configError(fetchSchemaRefusal("option 'schema'"), 'schema');
  }
  return transport;
}

function compressionThreshold(compression: boolean | number | undefined): number | null {
  if (compression === undefined) return DEFAULT_COMPRESSION_THRESHOLD;
  if (compression === true) return 0;
  if (compression === false) return null;
  if (typeof compression === 'number' && Number.isInteger(compression) && compression >= 0) return compression;
  throw configError("option 'compression' must be a boolean or a non-negative integer (bytes)", 'compression');
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw configError(`option '${name}' must be a string`, name);
  return value;
}

function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw configError(`option '${name}' must be a boolean`, name);
  return value;
}

function optionalNumber(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw configError(`option '${name}' must be a number ≥ ${min}`, name);
  return value;
}

function optionalInteger(name: string, value: unknown, min: number): number | undefined {
  const number = optionalNumber(name, value, min);
  if (number !== undefined && !Number.isInteger(number)) throw configError(`option '${name}' must be an integer ≥ ${min}`, name);
  return number;
}
