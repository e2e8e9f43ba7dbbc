/**
 * Client options: parsing connection strings, validating options and resolving them into one frozen, printable
 * configuration. Secrets (password, token, TLS private key) never enter that configuration; they are kept apart in
 * {@link ConnectionSecrets}, whose fields are private so that no printing or serialization path can reach them.
 */
import { inspect } from 'node:util';
import type { SecureVersion } from 'node:tls';

export interface TlsOptions {
  /** Trusted CA certificate(s), PEM. Replaces the system store for this client (crate-python's `ca_cert`). */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate, PEM (crate-python's `cert_file`). */
  cert?: string | Buffer;
  /** Private key of the client certificate, PEM (crate-python's `key_file`). */
  key?: string | Buffer;
  /** Verify the server certificate. Default true; false corresponds to crate-python's `verify_ssl_cert=False`. */
  rejectUnauthorized?: boolean;
  /** Lowest TLS version accepted, e.g. 'TLSv1' where crate-python uses `ssl_relax_minimum_version=True`. */
  minVersion?: SecureVersion;
}

export interface CrateClientOptions {
  /** `http(s)://host:port[/path]`, `crate://host:port`, or `host:port`; a list is used round-robin. */
  servers?: string | readonly string[];
  /** Default `crate`. When neither a user name, a password nor a token is given, no Authorization header is sent. */
  username?: string;
  password?: string;
  /** JWT sent as `Authorization: Bearer <token>`; cannot be combined with a password. */
  token?: string;
  /** Sent as `Default-Schema`; the schema unqualified table names resolve in. */
  schema?: string;
  /**
   * Milliseconds, for connecting and for the response (the wait for its headers and each gap between body chunks).
   * Default: no response timeout. Enforced by undici's timers, to within about half a second.
   */
  timeout?: number;
  /** Milliseconds; overrides `timeout` for establishing connections. Default 10 000. */
  connectTimeout?: number;
  /** Connections per server (and schema). Default 10. */
  poolSize?: number;
  /** Reuse connections between requests. Default true. */
  keepAlive?: boolean;
  /** Milliseconds a failed server is avoided before it is tried again. Default 30 000. */
  retryInterval?: number;
  /** Milliseconds; retries of one request wait 0, f, 2f, 4f, ... (at most 120 s). Default 0. */
  backoffFactor?: number;
  tls?: TlsOptions;
  /** Use https for servers given without a scheme (`host:port`, `crate://...`). */
  ssl?: boolean;
  /** Ask CrateDB for Java stack traces of errors (`errorTrace` on the thrown error). */
  errorTrace?: boolean;
  /** gzip request bodies: false = never, true = always, a number = bodies larger than that many bytes. */
  compression?: boolean | number;
  /** How integers beyond ±2^53 come back: exact `bigint` (default) or their decimal `string`. */
  bigint?: 'bigint' | 'string';
  /** Clock in milliseconds, for tests of server retry intervals. Default `Date.now`. */
  now?: () => number;
}

/** The effective configuration; safe to print or serialize (no secrets). */
export interface ResolvedClientConfig {
  /** Normalized base URLs without credentials, e.g. `http://localhost:4200`. */
  readonly servers: readonly string[];
  readonly username: string;
  readonly authentication: 'basic' | 'bearer' | 'none';
  readonly schema: string | undefined;
  /** Response timeout in ms; 0 = none. */
  readonly timeout: number;
  readonly connectTimeout: number;
  readonly poolSize: number;
  readonly keepAlive: boolean;
  readonly retryInterval: number;
  readonly backoffFactor: number;
  readonly tls: ResolvedTlsConfig;
  readonly errorTrace: boolean;
  /** Request bodies larger than this many bytes are gzipped; null = never. */
  readonly compressionThreshold: number | null;
  readonly bigint: 'bigint' | 'string';
}

export interface ResolvedTlsConfig {
  readonly rejectUnauthorized: boolean;
  readonly minVersion: SecureVersion | undefined;
  readonly customCa: boolean;
  readonly clientCertificate: boolean;
}

export const DEFAULT_SERVER = 'http://localhost:4200';
const DEFAULT_PORT = '4200';
const DEFAULT_USERNAME = 'crate';
// Bounded so that a burst of queries queues in the client instead of opening hundreds of HTTP sessions on CrateDB.
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECT_TIMEOUT = 10_000;
const DEFAULT_RETRY_INTERVAL = 30_000;
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

  [inspect.custom](): string {
    return 'ConnectionSecrets [redacted]';
  }
}

export interface ResolvedSettings {
  config: ResolvedClientConfig;
  secrets: ConnectionSecrets;
  now: () => number;
}

function configError(message: string): TypeError {
  return new TypeError(`CrateClient: ${message}`);
}

/** Resolves a connection URL or an options object into the frozen configuration plus the secrets kept apart from it. */
export function resolveSettings(input: string | CrateClientOptions = {}): ResolvedSettings {
  const options = typeof input === 'string' ? parseConnectionString(input) : input;
  if (typeof options !== 'object' || options === null) throw configError('expected a connection URL or an options object');

  const ssl = optionalBoolean('ssl', options.ssl) ?? false;
  const serverSpecs =
    options.servers === undefined ? [DEFAULT_SERVER] : typeof options.servers === 'string' ? [options.servers] : options.servers;
  if (!Array.isArray(serverSpecs) || serverSpecs.length === 0) throw configError("option 'servers' must be a non-empty string or list");
  const parsedServers = serverSpecs.map((spec, index) => normalizeServer(spec, ssl, index));
  const servers = [...new Set(parsedServers.map((server) => server.url))];
  // crate-python takes credentials from the server URL when none are given as options; the first URL carrying them wins.
  const urlCredentials = parsedServers.find((server) => server.username !== undefined || server.password !== undefined);

  const username = optionalString('username', options.username) ?? urlCredentials?.username;
  const password = optionalString('password', options.password) ?? urlCredentials?.password;
  const token = optionalString('token', options.token);
  if (password !== undefined && token !== undefined) throw configError("give either a password or a token, not both");
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) throw configError('the token contains characters not allowed in an HTTP header');
  const authorization =
    token !== undefined
      ? `Bearer ${token}`
      : username !== undefined || password !== undefined
        ? `Basic ${Buffer.from(`${username ?? DEFAULT_USERNAME}:${password ?? ''}`).toString('base64')}`
        : undefined;

  const schema = optionalString('schema', options.schema);
  if (schema !== undefined && (schema === '' || /[\0-\x1f\x7f]/.test(schema))) throw configError(`invalid schema name ${JSON.stringify(schema)}`);

  const timeout = optionalNumber('timeout', options.timeout, 0);
  const tls = options.tls ?? {};
  if (typeof tls !== 'object' || tls === null) throw configError("option 'tls' must be an object");
  const minVersion = tls.minVersion;
  if (minVersion !== undefined && !TLS_VERSIONS.includes(minVersion)) {
    throw configError(`option 'tls.minVersion' must be one of ${TLS_VERSIONS.join(', ')}`);
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw configError("options 'tls.cert' and 'tls.key' go together");

  const bigint = options.bigint ?? 'bigint';
  if (bigint !== 'bigint' && bigint !== 'string') throw configError("option 'bigint' must be 'bigint' or 'string'");
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw configError("option 'now' must be a function");

  const config: ResolvedClientConfig = Object.freeze({
    servers: Object.freeze(servers),
    username: username ?? DEFAULT_USERNAME,
    authentication: token !== undefined ? 'bearer' : authorization !== undefined ? 'basic' : 'none',
    schema,
    timeout: timeout ?? 0,
    connectTimeout: optionalNumber('connectTimeout', options.connectTimeout, 1) ?? timeout ?? DEFAULT_CONNECT_TIMEOUT,
    poolSize: optionalInteger('poolSize', options.poolSize, 1) ?? DEFAULT_POOL_SIZE,
    keepAlive: optionalBoolean('keepAlive', options.keepAlive) ?? true,
    retryInterval: optionalNumber('retryInterval', options.retryInterval, 0) ?? DEFAULT_RETRY_INTERVAL,
    backoffFactor: optionalNumber('backoffFactor', options.backoffFactor, 0) ?? 0,
    tls: Object.freeze({
      rejectUnauthorized: optionalBoolean('tls.rejectUnauthorized', tls.rejectUnauthorized) ?? true,
      minVersion,
      customCa: tls.ca !== undefined,
      clientCertificate: tls.cert !== undefined,
    }),
    errorTrace: optionalBoolean('errorTrace', options.errorTrace) ?? false,
    compressionThreshold: compressionThreshold(options.compression),
    bigint,
  });
  return { config, secrets: new ConnectionSecrets(authorization, { ca: tls.ca, cert: tls.cert, key: tls.key }), now };
}

/** The same configuration with another default schema (for `withSchema`). */
export function withSchemaConfig(config: ResolvedClientConfig, schema: string): ResolvedClientConfig {
  if (typeof schema !== 'string' || schema === '' || /[\0-\x1f\x7f]/.test(schema)) throw configError(`invalid schema name ${JSON.stringify(schema)}`);
  return Object.freeze({ ...config, schema });
}

function compressionThreshold(compression: boolean | number | undefined): number | null {
  if (compression === undefined) return DEFAULT_COMPRESSION_THRESHOLD;
  if (compression === true) return 0;
  if (compression === false) return null;
  if (typeof compression === 'number' && Number.isInteger(compression) && compression >= 0) return compression;
  throw configError("option 'compression' must be a boolean or a non-negative integer (bytes)");
}

interface ParsedServer {
  url: string;
  username: string | undefined;
  password: string | undefined;
}

/** `host:port`, `crate://host:port` and `http(s)://[user:pw@]host[:port][/path]` → `scheme://host:port[/path]`. */
function normalizeServer(spec: unknown, ssl: boolean, index: number): ParsedServer {
  if (typeof spec !== 'string' || spec.trim() === '') throw configError(`servers[${index}] must be a non-empty string`);
  const trimmed = spec.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  const rest = scheme === undefined ? trimmed : trimmed.slice(scheme.length + 3);
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https' && scheme !== 'crate') {
    throw configError(`servers[${index}] has unsupported scheme '${scheme}' (use http, https or crate)`);
  }
  // Only explicit http(s) URLs follow URL port defaults (80/443, e.g. behind a proxy); bare hosts mean CrateDB's 4200.
  const explicitHttp = scheme === 'http' || scheme === 'https';
  const protocol = explicitHttp ? scheme : ssl ? 'https' : 'http';
  let url: URL;
  try {
    url = new URL(`${protocol}://${rest}`);
  } catch {
    throw configError(`servers[${index}] is not a valid server address: ${redactUserinfo(trimmed)}`);
  }
  if (url.search !== '' || url.hash !== '') throw configError(`servers[${index}] must not have a query or fragment`);
  const hostAndPort = rest.replace(/[/?#][\s\S]*$/, '').replace(/^[\s\S]*@/, '');
  // `url.port` cannot tell "no port" from a scheme's default port (`host:80` parses to port ''), so look at the text.
  if (!explicitHttp && !/:\d+$/.test(hostAndPort)) url.port = DEFAULT_PORT;
  const path = url.pathname.replace(/\/+$/, '');
  return {
    url: `${url.protocol}//${url.host}${path}`,
    username: url.username === '' ? undefined : decodeUserinfo(url.username, 'user name'),
    password: url.password === '' ? undefined : decodeUserinfo(url.password, 'password'),
  };
}

function redactUserinfo(spec: string): string {
  return spec.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1***@');
}

function decodeUserinfo(encoded: string, what: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // The value itself is left out: it may be (part of) a password.
    throw configError(`malformed percent-encoding in the ${what} of the connection URL`);
  }
}

const CONNECTION_URL = /^(crate|https?):\/\/(?:([^@/?#]*)@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?$/i;
const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false, yes: true, no: false };

type ParameterApplier = (options: CrateClientOptions, value: string, name: string) => void;

const CONNECTION_PARAMETERS: Readonly<Record<string, ParameterApplier>> = {
  ssl: (options, value, name) => (options.ssl = parseBooleanParameter(name, value)),
  schema: (options, value) => (options.schema = value),
  timeout: (options, value, name) => (options.timeout = parseDurationParameter(name, value)),
  connect_timeout: (options, value, name) => (options.connectTimeout = parseDurationParameter(name, value)),
  pool_size: (options, value, name) => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw parameterError(name, value, 'a positive integer');
    options.poolSize = Number(value);
  },
  verify_ssl_cert: (options, value, name) => (options.tls = { ...options.tls, rejectUnauthorized: parseBooleanParameter(name, value) }),
  error_trace: (options, value, name) => (options.errorTrace = parseBooleanParameter(name, value)),
};

/**
 * Parses `crate://[user[:password]@]host[:port][,host2[:port]...][/?ssl=true&schema=...&timeout=...&pool_size=...]`
 * (sqlalchemy-cratedb's form; `timeout` in seconds, or with a `ms`/`s` unit) and `http(s)://[user[:password]@]host[:port][/path]`.
 */
export function parseConnectionString(connectionUrl: string): CrateClientOptions {
  if (typeof connectionUrl !== 'string') throw configError('the connection URL must be a string');
  const match = CONNECTION_URL.exec(connectionUrl.trim());
  // The URL is never echoed back: it may hold a password.
  if (!match) throw configError('the connection URL must look like crate://[user[:password]@]host[:port][/?param=value] or http(s)://...');
  const [, rawScheme = '', userinfo, hostList = '', path = '', query] = match;
  const scheme = rawScheme.toLowerCase();
  const options: CrateClientOptions = {};

  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    if (user !== '') options.username = decodeUserinfo(user, 'user name');
    if (colon !== -1) options.password = decodeUserinfo(userinfo.slice(colon + 1), 'password');
  }

  const hosts = hostList.split(',').map((host) => host.trim());
  if (hosts.some((host) => host === '')) throw configError('the connection URL names no host (or an empty one in a host list)');
  if (scheme === 'crate') {
    if (path !== '' && path !== '/') throw configError(`crate:// URLs take no path (got '${path}'); use ?schema=... for the schema`);
    options.servers = hosts;
  } else {
    options.servers = hosts.map((host) => `${scheme}://${host}${path}`);
  }

  for (const [name, value] of new URLSearchParams(query ?? '')) {
    const apply = CONNECTION_PARAMETERS[name];
    if (!apply) {
      throw configError(`unknown connection URL parameter '${name}' (supported: ${Object.keys(CONNECTION_PARAMETERS).join(', ')})`);
    }
    apply(options, value, name);
  }
  if (options.ssl !== undefined && scheme !== 'crate') throw configError("the 'ssl' parameter applies to crate:// URLs; use https:// instead");
  return options;
}

function parameterError(name: string, value: string, expected: string): TypeError {
  return configError(`connection URL parameter '${name}' must be ${expected}, got ${JSON.stringify(value)}`);
}

function parseBooleanParameter(name: string, value: string): boolean {
  const parsed = BOOLEAN_TEXT[value.toLowerCase()];
  if (parsed === undefined) throw parameterError(name, value, 'true or false');
  return parsed;
}

/** Seconds by default (as in sqlalchemy-cratedb), or with an explicit unit: `500ms`, `5s`. Returns milliseconds. */
function parseDurationParameter(name: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/i.exec(value.trim());
  if (!match) throw parameterError(name, value, 'a duration in seconds (5, 2.5s or 500ms)');
  const amount = Number(match[1]);
  return match[2]?.toLowerCase() === 'ms' ? amount : Math.round(amount * 1000);
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw configError(`option '${name}' must be a string`);
  return value;
}

function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw configError(`option '${name}' must be a boolean`);
  return value;
}

function optionalNumber(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw configError(`option '${name}' must be a number ≥ ${min}`);
  return value;
}

function optionalInteger(name: string, value: unknown, min: number): number | undefined {
  const number = optionalNumber(name, value, min);
  if (number !== undefined && !Number.isInteger(number)) throw configError(`option '${name}' must be an integer ≥ ${min}`);
  return number;
}
