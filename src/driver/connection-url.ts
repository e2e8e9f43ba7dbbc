/**
 * Connection URLs and server addresses: `crate://...` (sqlalchemy-cratedb's form), `http(s)://...`, `host:port`.
 *
 * A URL may carry a password, and a password may hold any character. So no error here ever repeats any text of a URL
 * or address: it says what is wrong and where (`servers[1]`, "the connection URL"), and the caller fixes its own text.
 *
 * Where the user name and password end is decided before anything else is parsed. The URL standard ends the host
 * part at the first `/`, `?`, `#` or `\` and takes the last `@` before it; a password holding one of those characters
 * unencoded would then be read as a host, a path or a query, and an unencoded `@` makes "user@domain:pw@host" mean
 * either of two things. Rather than guess, an address with more than one `@`, or with an `@` after one of those
 * characters, is refused with the advice to percent-encode the user name and password.
 */
import { CrateConfigError } from '../shared/errors.js';
import { closestName } from '../shared/options.js';
import type { CrateClientOptions } from './client-options.js';

export const DEFAULT_SERVER = 'http://localhost:4200';
const DEFAULT_PORT = '4200';

export function configError(message: string, option?: string): CrateConfigError {
  return new CrateConfigError(`CrateClient: ${message}`, option);
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const PERCENT_ENCODE_ADVICE =
  "percent-encode the user name and password (encodeURIComponent: '@' is %40, '/' %2F, '?' %3F, '#' %23, '%' %25)";

interface SplitAddress {
  /** Lower-cased, undefined when the text has none. */
  scheme: string | undefined;
  username: string | undefined;
  password: string | undefined;
  /** Between the userinfo and the first `/`, `?`, `#` (host, port; a host list for crate://). */
  host: string;
  /** From the first `/`, `?` or `#` on. */
  tail: string;
}

/**
 * Splits an address into scheme, credentials, host and the rest, by the rule in this module's comment. `where` names
 * the address in errors (`the connection URL`, `servers[2]`).
 */
function splitAddress(text: string, where: string, option: string): SplitAddress {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  const rest = scheme === undefined ? text : text.slice(text.indexOf('://') + 3);
  const hostEnd = rest.search(/[/?#\\]/);
  const authorityEnd = hostEnd === -1 ? rest.length : hostEnd;
  const at = rest.indexOf('@');
  if (at !== -1 && rest.indexOf('@', at + 1) !== -1) {
    throw configError(`${where} contains more than one '@', so where its password ends is ambiguous: ${PERCENT_ENCODE_ADVICE}`, option);
  }
  if (at > authorityEnd) {
    throw configError(
      `${where} has an '@' after a '/', '?', '#' or '\\', so the host cannot be told from a password: ${PERCENT_ENCODE_ADVICE}`,
      option,
    );
  }
  let username: string | undefined;
  let password: string | undefined;
  if (at !== -1) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    if (user !== '') username = decodeUserinfo(user, 'user name', where, option);
    if (colon !== -1) password = decodeUserinfo(userinfo.slice(colon + 1), 'password', where, option);
  }
  return { scheme, username, password, host: rest.slice(at + 1, authorityEnd), tail: rest.slice(authorityEnd) };
}

function decodeUserinfo(encoded: string, what: string, where: string, option: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // The value itself is left out: it may be (part of) a password.
    throw configError(`malformed percent-encoding in the ${what} of ${where}`, option);
  }
}

export interface ParsedServer {
  /** `scheme://host:port[/path]`, without credentials. */
  url: string;
  username: string | undefined;
  password: string | undefined;
}

/**
 * `host[:port]`, `crate://host[:port]` and `http(s)://[user[:pw]@]host[:port][/path]` → `scheme://host:port[/path]`.
 * `ssl` picks https for addresses without an explicit http(s) scheme.
 */
export function normalizeServer(spec: unknown, ssl: boolean, index: number): ParsedServer {
  const where = `servers[${index}]`;
  if (typeof spec !== 'string' || spec.trim() === '') throw configError(`${where} must be a non-empty string`, 'servers');
  const trimmed = spec.trim();
  if (/\s/.test(trimmed)) throw configError(`${where} contains whitespace; give one server per list item`, 'servers');
  const parts = splitAddress(trimmed, where, 'servers');
  const { scheme } = parts;
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https' && scheme !== 'crate') {
    throw configError(`${where} has unsupported scheme '${scheme}' (use http, https or crate)`, 'servers');
  }
  if (/[?#]/.test(parts.tail)) throw configError(`${where} must not have a query or fragment`, 'servers');
  if (scheme === 'crate' && parts.tail !== '' && parts.tail !== '/') throw configError(`${where}: crate:// addresses take no path`, 'servers');
  // Only explicit http(s) URLs follow URL port defaults (80/443, e.g. behind a proxy); bare hosts mean CrateDB's 4200.
  const explicitHttp = scheme === 'http' || scheme === 'https';
  const protocol = explicitHttp ? scheme : ssl ? 'https' : 'http';
  const url = parseHost(parts.host, protocol, explicitHttp ? parts.tail : '', !explicitHttp, where);
  return { url, username: parts.username, password: parts.password };
}

/**
 * `protocol://host[:port]path`, validated; errors describe the problem without repeating the text. `cratePort`: no
 * port means CrateDB's 4200 rather than the scheme's default.
 */
function parseHost(host: string, protocol: string, path: string, cratePort: boolean, where: string): string {
  if (host === '') throw configError(`${where} names no host`, 'servers');
  const port = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(host)?.[1];
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw configError(`${where}: the port is not a number`, 'servers');
  if (port !== undefined && Number(port) > 65_535) throw configError(`${where}: the port is beyond 65535`, 'servers');
  let url: URL;
  try {
    url = new URL(`${protocol}://${host}${path}`);
  } catch {
    throw configError(`${where} is not a valid server address (its host name or path holds characters a URL cannot)`, 'servers');
  }
  // `url.port` cannot tell "no port" from a scheme's default port (`host:80` parses to port ''), so look at the text.
  if (port === undefined && cratePort) url.port = DEFAULT_PORT;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** A `servers` value: one address, several separated by whitespace (as crate-python takes them), or a list. */
export function serverList(servers: unknown): unknown[] {
  if (servers === undefined) return [DEFAULT_SERVER];
  if (typeof servers === 'string') {
    const list = servers.trim().split(/\s+/);
    if (list.length === 1 && list[0] === '') throw configError("option 'servers' must not be empty", 'servers');
    // A space inside a password would split it into two "servers", the second starting with the password's tail.
    if (list.length > 1 && list.some((piece) => piece.includes('@') && !SCHEME.test(piece))) {
      throw configError(
        "option 'servers' holds several addresses separated by whitespace, and one has an '@' but no http(s):// in front: if a password holds a space, percent-encode it (%20)",
        'servers',
      );
    }
    return list;
  }
  if (!Array.isArray(servers) || servers.length === 0) throw configError("option 'servers' must be a non-empty string or list", 'servers');
  return servers;
}

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false, yes: true, no: false };

/**
 * sqlalchemy-cratedb's `sslmode` (src/sqlalchemy_cratedb/dialect.py, util.py SSLMode): `disable` means http; `allow`,
 * `prefer` and `require` mean https without verifying the certificate (as in libpq); `verify-ca` and `verify-full`
 * mean https with verification (here the host name is always checked too). `_` may stand for `-`.
 */
const SSL_MODES: Readonly<Record<string, { ssl: boolean; verify: boolean | undefined }>> = {
  disable: { ssl: false, verify: undefined },
  allow: { ssl: true, verify: false },
  prefer: { ssl: true, verify: false },
  require: { ssl: true, verify: false },
  'verify-ca': { ssl: true, verify: true },
  'verify-full': { ssl: true, verify: true },
};

interface UrlParameters {
  options: CrateClientOptions;
  ssl?: boolean;
  sslmode?: { ssl: boolean; verify: boolean | undefined };
  verify?: boolean;
}

type ParameterApplier = (target: UrlParameters, value: string, name: string) => void;

const CONNECTION_PARAMETERS: Readonly<Record<string, ParameterApplier>> = {
  ssl: (target, value, name) => (target.ssl = parseBooleanParameter(name, value)),
  sslmode: (target, value, name) => {
    const mode = SSL_MODES[value.replaceAll('_', '-')];
    if (!mode) throw parameterError(name, value, `one of ${Object.keys(SSL_MODES).join(', ')}`);
    target.sslmode = mode;
  },
  schema: (target, value) => (target.options.schema = value),
  timeout: (target, value, name) => (target.options.timeout = parseDurationParameter(name, value)),
  connect_timeout: (target, value, name) => (target.options.connectTimeout = parseDurationParameter(name, value)),
  pool_size: (target, value, name) => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw parameterError(name, value, 'a positive integer');
    target.options.poolSize = Number(value);
  },
  verify_ssl_cert: (target, value, name) => (target.verify = parseBooleanParameter(name, value)),
  error_trace: (target, value, name) => (target.options.errorTrace = parseBooleanParameter(name, value)),
  hedged_reads: (target, value, name) => (target.options.hedgedReads = parseBooleanParameter(name, value)),
  hedge_min_delay: (target, value, name) => (hedgeOf(target).minDelay = parseDurationParameter(name, value)),
  hedge_max_delay: (target, value, name) => (hedgeOf(target).maxDelay = parseDurationParameter(name, value)),
  hedge_percentile: (target, value, name) => {
    if (!/^\d+(?:\.\d+)?$/.test(value) || Number(value) <= 0 || Number(value) > 100) throw parameterError(name, value, 'a percentile in (0, 100]');
    hedgeOf(target).percentile = Number(value);
  },
  hedge_max_per_read: (target, value, name) => (hedgeOf(target).maxPerRead = parseCountParameter(name, value)),
  hedge_per_second: (target, value, name) => (hedgeOf(target).perSecond = parseCountParameter(name, value)),
  transport: (target, value, name) => {
    if (value !== 'auto' && value !== 'undici' && value !== 'fetch') throw parameterError(name, value, "'auto', 'undici' or 'fetch'");
    target.options.transport = value;
  },
};

/**
 * Parses `crate://[user[:password]@][host[:port][,host2[:port]...]][/?ssl=true&sslmode=...&schema=...&timeout=...]`
 * (sqlalchemy-cratedb's form; no host means localhost:4200; `timeout` in seconds, or with a `ms`/`s` unit) and
 * `http(s)://[user[:password]@]host[:port][/path]`.
 */
export function parseConnectionString(connectionUrl: string): CrateClientOptions {
  const where = 'the connection URL';
  if (typeof connectionUrl !== 'string') throw configError('the connection URL must be a string');
  const trimmed = connectionUrl.trim();
  const parts = splitAddress(trimmed, where, 'connection URL');
  const { scheme } = parts;
  if (scheme !== 'crate' && scheme !== 'http' && scheme !== 'https') {
    throw configError('the connection URL must look like crate://[user[:password]@]host[:port][/?param=value] or http(s)://...');
  }
  if (parts.tail.includes('#')) throw configError('the connection URL must not have a fragment (#...)');
  const query = parts.tail.indexOf('?');
  const path = query === -1 ? parts.tail : parts.tail.slice(0, query);
  const target: UrlParameters = { options: {} };
  const { options } = target;
  if (parts.username !== undefined) options.username = parts.username;
  if (parts.password !== undefined) options.password = parts.password;

  const hosts = parts.host === '' && scheme === 'crate' ? [] : parts.host.split(',').map((host) => host.trim());
  if (hosts.some((host) => host === '')) throw configError('the connection URL names no host (or an empty one in a host list)');
  if (scheme === 'crate') {
    if (path !== '' && path !== '/') throw configError('crate:// URLs take no path; use ?schema=... for the schema');
    // No host: localhost:4200, as sqlalchemy-cratedb does.
    options.servers = hosts.length === 0 ? ['localhost:4200'] : hosts;
  } else {
    options.servers = hosts.map((host) => `${scheme}://${host}${path}`);
  }

  for (const [name, value] of new URLSearchParams(query === -1 ? '' : parts.tail.slice(query + 1))) {
    const apply = CONNECTION_PARAMETERS[name];
    if (!apply) {
      const known = Object.keys(CONNECTION_PARAMETERS);
      const suggestion = closestName(name, known);
      throw configError(`unknown connection URL parameter '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''} (supported: ${known.join(', ')})`);
    }
    apply(target, value, name);
  }
  if ((target.ssl !== undefined || target.sslmode !== undefined) && scheme !== 'crate') {
    throw configError("the 'ssl' and 'sslmode' parameters apply to crate:// URLs; use https:// instead");
  }
  applySsl(target);
  return options;
}

/** ssl, sslmode and verify_ssl_cert together; contradictions are refused rather than one silently winning. */
function applySsl({ options, ssl, sslmode, verify }: UrlParameters): void {
  if (sslmode !== undefined && ssl !== undefined && ssl !== sslmode.ssl) {
    throw configError(`the connection URL parameters 'ssl' and 'sslmode' contradict each other`);
  }
  if (sslmode?.verify !== undefined && verify !== undefined && verify !== sslmode.verify) {
    throw configError(`the connection URL parameters 'sslmode' and 'verify_ssl_cert' contradict each other`);
  }
  const useSsl = sslmode?.ssl ?? ssl;
  if (useSsl !== undefined) options.ssl = useSsl;
  const rejectUnauthorized = verify ?? sslmode?.verify;
  if (rejectUnauthorized !== undefined) options.tls = { rejectUnauthorized };
}

function parameterError(name: string, value: string, expected: string): CrateConfigError {
  return configError(`connection URL parameter '${name}' must be ${expected}, got ${JSON.stringify(value)}`, name);
}

function hedgeOf(target: UrlParameters): NonNullable<CrateClientOptions['hedge']> {
  return (target.options.hedge ??= {});
}

function parseCountParameter(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw parameterError(name, value, 'a whole number ≥ 0');
  return Number(value);
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
