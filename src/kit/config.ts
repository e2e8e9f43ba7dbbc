/**
 * Finds, loads and validates `drizzle.config.{ts,js,mjs,json}`: the same file a drizzle-kit user writes, with
 * `dialect: 'cratedb'`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Casing } from '../shared/casing.js';
import { parseConnectionString, type CrateClientOptions } from '../driver/index.js';
import { CrateConfigError, CrateRuntimeError } from '../shared/errors.js';
import { DEFAULT_SCHEMA } from '../shared/sql-text.js';
import { MIGRATION_PREFIXES, type MigrationPrefix } from './folders.js';

export type DbCredentials = string | { url: string } | CrateClientOptions;

/** What `drizzle.config.ts` may contain; write it with `defineConfig` from `drizzle-cratedb/kit`. */
export interface CrateKitConfig {
  dialect: 'cratedb';
  /** A schema file, a folder (every .ts/.js file in it, recursively) or a glob; several as a list. */
  schema?: string | string[];
  /** The migration folder. Default `./drizzle`. */
  out?: string;
  /** A URL (`http://user:pass@host:4200`), `{ url }`, or the driver's options: several `servers`, `tls`, ... */
  dbCredentials?: DbCredentials;
  /** Schemas that push, pull and introspection look at. Default `['doc']`. */
  schemaFilter?: string | string[];
  /** Table name globs (`users_*`, `!tmp_*`) that push and pull look at. Default: every table. */
  tablesFilter?: string | string[];
  /**
   * Where applied migrations are recorded (default `drizzle.__drizzle_migrations`), and how drizzle-kit 0.31's layout
   * prefixes file names: `index` (`0000_name.sql`, the default), `timestamp` or `supabase` (`20240627123900_name.sql`),
   * `unix` (`1719481298_name.sql`), `none` (`_name.sql`). drizzle-kit 1.0's layout always names folders by time.
   */
  migrations?: { table?: string; schema?: string; prefix?: MigrationPrefix };
  /** How pull names the keys of the code it writes: `camel` (`firstName`, the default) or `preserve` (`first_name`). */
  introspect?: { casing?: 'camel' | 'preserve' };
  /** Column-name casing, as given to `drizzle({ casing })`. */
  casing?: Casing;
  verbose?: boolean;
  /** Ask before applying any statement in push, not only lossy ones. */
  strict?: boolean;
  /** Write `--> statement-breakpoint` between statements. Default true. */
  breakpoints?: boolean;
  /**
   * The oldest CrateDB the migrations must run on, e.g. `'5.10'`. Statements needing a newer server (ALTER COLUMN
   * SET DEFAULT: 6.3) are not generated for it; the change is reported instead. Default `'6.1'`. push uses the
   * server's own version.
   */
  cratedbVersion?: string;
}

export function defineConfig(config: CrateKitConfig): CrateKitConfig {
  return config;
}

/** The config with defaults applied and lists normalized. */
export interface ResolvedKitConfig {
  readonly configPath: string | undefined;
  readonly root: string;
  readonly schema: readonly string[];
  readonly out: string;
  readonly dbCredentials: DbCredentials | undefined;
  readonly schemaFilter: readonly string[];
  readonly tablesFilter: readonly string[];
  readonly migrationsTable: string;
  readonly migrationsSchema: string;
  readonly casing: Casing | undefined;
  readonly verbose: boolean;
  readonly strict: boolean;
  readonly breakpoints: boolean;
  readonly cratedbVersion: string | undefined;
  readonly prefix: MigrationPrefix;
  readonly introspectCasing: 'camel' | 'preserve';
  /** Whether the user chose the filters (config or command line) rather than the defaults: push drops only then. */
  readonly filtersGiven: { readonly tables: boolean; readonly schemas: boolean };
}

export class ConfigError extends CrateConfigError {
  static override readonly errorName: string = 'ConfigError';
}

export const CONFIG_FILES = ['drizzle.config.ts', 'drizzle.config.mts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.json'];

/**
 * How the kit loads TypeScript (drizzle.config.ts, schema files). tsx is an optional peer dependency: only the CLI
 * needs it, so an application that never runs the CLI does not install it. A parameter so that tests can take tsx
 * away.
 */
export interface TypeScriptLoading {
  /** tsx's ESM API; rejects with ERR_MODULE_NOT_FOUND when tsx is not installed. */
  tsx(): Promise<{ register(): unknown }>;
  /** Whether this Node.js strips types itself on import (`process.features.typescript`; default since 22.18 and 23.6). */
  nodeStripsTypes: boolean;
}

const TYPESCRIPT_LOADING: TypeScriptLoading = {
  tsx: () => import('tsx/esm/api'),
  nodeStripsTypes: Boolean(process.features.typescript),
};

/** Node's errors for TypeScript that its type stripping cannot run, but tsx can. */
const STRIPPING_FAILURES = new Set([
  // enum, namespace, parameter properties
  'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX',
  'ERR_INVALID_TYPESCRIPT_SYNTAX',
  // `import './users'` without the extension, or `./users.js` for users.ts
  'ERR_MODULE_NOT_FOUND',
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING',
]);

/** Why and how to install tsx, when a TypeScript file cannot be loaded without it. */
function tsxMissing(path: string, why: string, cause?: unknown): CrateRuntimeError {
  return new CrateRuntimeError(
    `${path} is TypeScript and tsx is not installed; ${why}. drizzle-cratedb's CLI loads TypeScript config and schema ` +
      'files with tsx, an optional peer dependency: run `npm install --save-dev tsx`',
    cause === undefined ? undefined : { cause },
  );
}

const tsxRegistered = new WeakMap<TypeScriptLoading, Promise<boolean>>();

/** Registers tsx's loader, once; false when tsx is not installed. */
function registerTsx(loading: TypeScriptLoading): Promise<boolean> {
  let registered = tsxRegistered.get(loading);
  if (!registered) {
    registered = loading.tsx().then(
      ({ register }) => {
        register();
        return true;
      },
      (error: unknown) => {
        const code = (error as { code?: unknown }).code;
        if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return false;
        throw new CrateRuntimeError(`tsx is installed but could not be loaded: ${(error as Error).message}`, { cause: error });
      },
    );
    tsxRegistered.set(loading, registered);
  }
  return registered;
}

/**
 * Imports a module. TypeScript goes through tsx's loader when tsx is installed. Without tsx it falls back to
 * Node's own type stripping, which loads a plain drizzle.config.ts; what stripping cannot load (enums, imports
 * without extensions, .tsx) fails with a CrateRuntimeError that says to install tsx.
 */
export async function importModule(path: string, loading: TypeScriptLoading = TYPESCRIPT_LOADING): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  if (!/\.[mc]?tsx?$/.test(path) || (await registerTsx(loading))) return (await import(url)) as Record<string, unknown>;
  if (!loading.nodeStripsTypes) throw tsxMissing(path, 'this Node.js does not strip types itself');
  if (path.endsWith('.tsx')) throw tsxMissing(path, 'Node.js does not load .tsx files itself');
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !STRIPPING_FAILURES.has(code)) throw error;
    throw tsxMissing(path, `Node.js's own type stripping could not load it: ${(error as Error).message.replace(/\.$/, '')}`, error);
  }
}

/** Finds the config (`--config` or the first of {@link CONFIG_FILES} in `cwd`), loads and validates it. */
export async function loadConfig(options: { config?: string | undefined; cwd?: string } = {}): Promise<ResolvedKitConfig> {
  const cwd = options.cwd ?? process.cwd();
  let path: string | undefined;
  if (options.config !== undefined) {
    path = isAbsolute(options.config) ? options.config : resolve(cwd, options.config);
    if (!existsSync(path)) throw new ConfigError(`config file ${options.config} not found`);
  } else {
    path = CONFIG_FILES.map((name) => resolve(cwd, name)).find((candidate) => existsSync(candidate));
    if (!path) throw new ConfigError(`no drizzle.config.ts (or .js, .mjs, .json) in ${cwd}; create one or pass --config <file>`);
  }
  let raw: unknown;
  if (path.endsWith('.json')) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${path}: ${(error as Error).message}`);
    }
  } else {
    let module: Record<string, unknown>;
    try {
      module = await importModule(path);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof CrateRuntimeError) throw error;
      throw new ConfigError(`could not load ${path}: ${(error as Error).message}`);
    }
    raw = module.default ?? module;
    if (raw && typeof raw === 'object' && 'default' in raw && !('dialect' in raw)) raw = (raw as { default: unknown }).default;
  }
  return resolveConfig(raw, { configPath: path, root: cwd });
}

const KNOWN_KEYS = new Set([
  'dialect',
  'schema',
  'out',
  'dbCredentials',
  'schemaFilter',
  'tablesFilter',
  'migrations',
  'casing',
  'verbose',
  'strict',
  'breakpoints',
  'cratedbVersion',
  // drizzle-kit keys that have no meaning here but should not break a shared config
  'driver',
  'introspect',
  'entities',
  'extensionsFilters',
]);

/** Validates a config object and applies the defaults. */
export function resolveConfig(raw: unknown, where: { configPath?: string; root?: string } = {}): ResolvedKitConfig {
  const source = where.configPath ?? 'config';
  const fail = (message: string): never => {
    throw new ConfigError(`${source}: ${message}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('the config must export an object (export default defineConfig({ ... }))');
  const config = raw as Record<string, unknown>;
  if (config.dialect !== 'cratedb') {
    fail(`dialect must be 'cratedb' (got ${JSON.stringify(config.dialect)}); drizzle-cratedb's kit only handles CrateDB`);
  }
  for (const key of Object.keys(config)) if (!KNOWN_KEYS.has(key)) fail(`unknown option '${key}'`);

  const list = (key: string, fallback: string[]): string[] => {
    const value = config[key];
    if (value === undefined) return fallback;
    const items = Array.isArray(value) ? value : [value];
    if (!items.every((item) => typeof item === 'string' && item.length > 0)) fail(`${key} must be a string or a list of strings`);
    return items as string[];
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const value = config[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') fail(`${key} must be true or false`);
    return value as boolean;
  };
  const out = config.out ?? './drizzle';
  if (typeof out !== 'string' || !out) fail('out must be a folder path');
  const migrations = (config.migrations ?? {}) as Record<string, unknown>;
  if (typeof migrations !== 'object') fail('migrations must be { table?, schema?, prefix? }');
  for (const key of Object.keys(migrations)) if (!['table', 'schema', 'prefix'].includes(key)) fail(`unknown option 'migrations.${key}' (table, schema, prefix)`);
  for (const key of ['table', 'schema']) {
    if (migrations[key] !== undefined && (typeof migrations[key] !== 'string' || !migrations[key])) fail(`migrations.${key} must be a name`);
  }
  if (migrations.prefix !== undefined && !(MIGRATION_PREFIXES as readonly unknown[]).includes(migrations.prefix)) {
    fail(`migrations.prefix must be one of ${MIGRATION_PREFIXES.map((p) => `'${p}'`).join(', ')} (got ${JSON.stringify(migrations.prefix)})`);
  }
  const introspectOption = (config.introspect ?? {}) as Record<string, unknown>;
  if (typeof introspectOption !== 'object') fail("introspect must be { casing?: 'camel' | 'preserve' }");
  if (introspectOption.casing !== undefined && introspectOption.casing !== 'camel' && introspectOption.casing !== 'preserve') {
    fail(`introspect.casing must be 'camel' or 'preserve' (got ${JSON.stringify(introspectOption.casing)})`);
  }
  if (config.casing !== undefined && config.casing !== 'snake_case' && config.casing !== 'camelCase') {
    fail(`casing must be 'snake_case' or 'camelCase'`);
  }
  const version = config.cratedbVersion;
  if (version !== undefined && (typeof version !== 'string' || !/^\d+(\.\d+){0,2}$/.test(version))) {
    fail(`cratedbVersion must be a version like '6.1' or '5.10.3'`);
  }
  const credentials = config.dbCredentials;
  if (credentials !== undefined) {
    const ok =
      typeof credentials === 'string' ||
      (typeof credentials === 'object' && credentials !== null && !Array.isArray(credentials));
    if (!ok) fail('dbCredentials must be a URL or an object ({ url } or the driver options: servers, username, password, tls, ...)');
  }
  return {
    configPath: where.configPath,
    root: where.root ?? process.cwd(),
    schema: list('schema', []),
    out: out as string,
    dbCredentials: credentials as DbCredentials | undefined,
    schemaFilter: list('schemaFilter', [DEFAULT_SCHEMA]),
    tablesFilter: list('tablesFilter', []),
    migrationsTable: (migrations.table as string | undefined) ?? '__drizzle_migrations',
    migrationsSchema: (migrations.schema as string | undefined) ?? 'drizzle',
    casing: config.casing as Casing | undefined,
    verbose: flag('verbose', false),
    strict: flag('strict', false),
    breakpoints: flag('breakpoints', true),
    cratedbVersion: version as string | undefined,
    prefix: (migrations.prefix as MigrationPrefix | undefined) ?? 'index',
    introspectCasing: (introspectOption.casing as 'camel' | 'preserve' | undefined) ?? 'camel',
    filtersGiven: { tables: config.tablesFilter !== undefined, schemas: config.schemaFilter !== undefined },
  };
}

/** Turns `dbCredentials` into what `CrateClient` takes. */
export function clientOptions(credentials: DbCredentials | undefined): string | CrateClientOptions {
  if (credentials === undefined) {
    throw new ConfigError('dbCredentials is missing from the config: give a URL (http://localhost:4200) or the driver options');
  }
  if (typeof credentials === 'string') return credentials;
  if ('url' in credentials && typeof credentials.url === 'string') {
    const { url, ...rest } = credentials as { url: string } & CrateClientOptions;
    if (Object.keys(rest).length === 0) return url;
    const fromUrl = parseConnectionString(url) as Record<string, unknown>;
    // An option that the URL also sets must agree with it: neither silently wins (the driver's rule for URLs too).
    for (const [key, value] of Object.entries(rest)) {
      if (fromUrl[key] !== undefined && JSON.stringify(fromUrl[key]) !== JSON.stringify(value)) {
        throw new ConfigError(`dbCredentials: '${key}' is given both in the url and as an option, with different values; give it once`);
      }
    }
    return { ...fromUrl, ...rest };
  }
  return credentials as CrateClientOptions;
}

/** `*` and `?` globs, `!` to exclude; an empty list matches everything. */
export function nameFilter(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => true;
  const include = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  return (name) => (include.length === 0 || include.some((re) => re.test(name))) && !exclude.some((re) => re.test(name));
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          source += '(?:.*/)?';
        } else source += '.*';
      } else source += '[^/]*';
    } else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) source += '\\{';
      else {
        source += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((part) => part.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
