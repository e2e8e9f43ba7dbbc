#!/usr/bin/env node
/**
 * `drizzle-cratedb <command>`: drizzle-kit's commands for CrateDB. Argument parsing without a dependency.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../shared/node-version.js';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CrateKitError, isCrateError } from '../shared/errors.js';
import { closestName } from '../shared/options.js';
import { checkCommand, exportCommand, generateCommand, migrateCommand, pullCommand, pushCommand, upCommand, type CommandContext } from './commands.js';
import { CONFIG_FILES, loadConfig, resolveConfig, type ResolvedKitConfig } from './config.js';
import { MIGRATION_PREFIXES } from './folders.js';
import { createOutput, type Output } from './output.js';
import { terminalPrompter } from './prompt.js';
import { parseRenameSpec } from './renames.js';

const COMMANDS = ['generate', 'migrate', 'push', 'pull', 'check', 'export', 'up'] as const;
type Command = (typeof COMMANDS)[number];
/** drizzle-kit's other names for a command. */
const ALIASES: Record<string, Command> = { introspect: 'pull' };

interface OptionSpec {
  readonly type: 'string' | 'boolean' | 'list';
  readonly description: string;
}

const COMMON: Record<string, OptionSpec> = {
  config: { type: 'string', description: 'Path to the config file (default: drizzle.config.ts/.js/.mjs/.json)' },
  verbose: { type: 'boolean', description: 'Print every SQL statement' },
  help: { type: 'boolean', description: 'Show help' },
};
const SCHEMA: Record<string, OptionSpec> = {
  schema: { type: 'list', description: 'Schema file, folder or glob (overrides the config)' },
  casing: { type: 'string', description: "Column-name casing: 'snake_case' or 'camelCase'" },
};
const OUT: Record<string, OptionSpec> = { out: { type: 'string', description: 'Migration folder (default ./drizzle)' } };
const RENAMES: Record<string, OptionSpec> = {
  rename: { type: 'list', description: 'Answer a rename question: old=new (table) or table.old=new (column); repeatable' },
  'no-renames': { type: 'boolean', description: 'Treat every rename question as drop + create' },
  rebuild: { type: 'boolean', description: 'Recreate tables whose change CrateDB cannot ALTER, copying every row' },
};
const CONNECTION: Record<string, OptionSpec> = { url: { type: 'string', description: 'Database URL (overrides dbCredentials)' } };
// Spelled as drizzle-kit spells them; comma-separated or repeated.
const FILTERS: Record<string, OptionSpec> = {
  tablesFilter: { type: 'list', description: "Table name globs (overrides the config's tablesFilter): users,app_*,!tmp_*" },
  schemaFilters: { type: 'list', description: "Schemas to look at (overrides the config's schemaFilter): doc,metrics" },
};

const OPTIONS: Record<Command, Record<string, OptionSpec>> = {
  generate: {
    ...COMMON,
    ...SCHEMA,
    ...OUT,
    ...RENAMES,
    name: { type: 'string', description: 'Migration name (default: a random one)' },
    custom: { type: 'boolean', description: 'Prepare an empty migration for custom SQL' },
    breakpoints: { type: 'boolean', description: 'Write --> statement-breakpoint between statements (default true)' },
    'cratedb-version': { type: 'string', description: 'Oldest CrateDB the migration must run on (default 6.1)' },
    prefix: { type: 'string', description: `File name prefix in drizzle-kit 0.31's layout: ${MIGRATION_PREFIXES.join('|')} (default index)` },
  },
  migrate: {
    ...COMMON,
    ...OUT,
    ...CONNECTION,
    resume: { type: 'boolean', description: 'Continue a migration that failed or stopped, from the statement that did not complete' },
    'accept-changed': { type: 'boolean', description: 'Accept applied migrations whose file changed since: record the new hash, apply nothing' },
  },
  push: {
    ...COMMON,
    ...SCHEMA,
    ...CONNECTION,
    ...RENAMES,
    ...FILTERS,
    'drop-unmanaged': { type: 'boolean', description: 'Also drop tables that are in the database but in no schema file and no filter' },
    strict: { type: 'boolean', description: 'Always ask before applying' },
    force: { type: 'boolean', description: 'Apply without asking, data-loss statements included' },
  },
  pull: {
    ...COMMON,
    ...OUT,
    ...CONNECTION,
    ...FILTERS,
    'introspect-casing': { type: 'string', description: "Keys of the written code: camel (firstName, default) or preserve (first_name)" },
  },
  check: { ...COMMON, ...OUT },
  export: { ...COMMON, ...SCHEMA },
  up: { ...COMMON, ...OUT },
};

const DESCRIPTIONS: Record<Command, string> = {
  generate: 'Write a SQL migration from the changes to your schema',
  migrate: 'Apply the pending migrations to the database',
  push: 'Change the database to match your schema, without migration files',
  pull: 'Write a schema.ts from an existing database (alias: introspect)',
  check: 'Check the migration folder for consistency',
  export: 'Print the SQL that creates your schema',
  up: "Move a drizzle-kit 0.31 migration folder (meta/_journal.json) to drizzle-kit 1.0's layout",
};

export class UsageError extends CrateKitError {
  static override readonly errorName: string = 'UsageError';
}

export interface ParsedArgs {
  command: Command | undefined;
  options: Record<string, string | boolean | string[]>;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { command: undefined, options: { help: true } };
  if (first === '--version' || first === '-v') return { command: undefined, options: { version: true } };
  const named = ALIASES[first] ?? first;
  if (!(COMMANDS as readonly string[]).includes(named)) {
    const meant = closestName(first, [...COMMANDS, ...Object.keys(ALIASES)]);
    throw new UsageError(`unknown command '${first}'${meant ? `; did you mean '${meant}'?` : ''} (commands: ${COMMANDS.join(', ')})`);
  }
  const command = named as Command;
  const specs = OPTIONS[command];
  const options: Record<string, string | boolean | string[]> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-h') {
      options.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' (options start with --)`);
    let [key, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let negated = false;
    if (!specs[key] && key.startsWith('no-') && specs[key.slice(3)]?.type === 'boolean') {
      key = key.slice(3);
      negated = true;
    }
    const spec = specs[key];
    if (!spec) {
      const meant = closestName(key, Object.keys(specs));
      throw new UsageError(`unknown option --${key} for ${command}${meant ? `; did you mean --${meant}?` : ''} (see drizzle-cratedb ${command} --help)`);
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined) {
        if (!/^(true|false)$/.test(inline)) throw new UsageError(`--${key} takes true or false`);
        options[key] = (inline === 'true') !== negated;
      } else if (!negated && /^(true|false)$/.test(rest[i + 1] ?? '')) {
        options[key] = rest[++i] === 'true';
      } else options[key] = !negated;
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${key} needs a value`);
    if (spec.type === 'list') {
      // drizzle-kit takes filters as one comma-separated value.
      const values = key in FILTERS ? value.split(',').map((item) => item.trim()).filter(Boolean) : [value];
      options[key] = [...((options[key] as string[] | undefined) ?? []), ...values];
    }
    else options[key] = value;
  }
  return { command, options };
}

export function helpText(command?: Command): string {
  if (!command) {
    return [
      'drizzle-cratedb: drizzle-kit for CrateDB',
      '',
      'Usage: drizzle-cratedb <command> [options]',
      '',
      'Commands:',
      ...COMMANDS.map((name) => `  ${name.padEnd(10)}${DESCRIPTIONS[name]}`),
      '',
      'Options for every command: --config <file>, --verbose, --help. drizzle-cratedb --version prints the version.',
      'Run drizzle-cratedb <command> --help for the options of a command.',
    ].join('\n');
  }
  const specs = OPTIONS[command];
  return [
    `drizzle-cratedb ${command}: ${DESCRIPTIONS[command]}`,
    '',
    `Usage: drizzle-cratedb ${command} [options]`,
    '',
    'Options:',
    ...Object.entries(specs).map(([name, spec]) => `  --${`${name}${spec.type === 'boolean' ? '' : ' <value>'}`.padEnd(24)}${spec.description}`),
  ].join('\n');
}

function applyOverrides(config: ResolvedKitConfig, options: ParsedArgs['options']): ResolvedKitConfig {
  const result: { -readonly [K in keyof ResolvedKitConfig]: ResolvedKitConfig[K] } = { ...config };
  if (options.tablesFilter) result.tablesFilter = options.tablesFilter as string[];
  if (options.schemaFilters) result.schemaFilter = options.schemaFilters as string[];
  result.filtersGiven = { tables: config.filtersGiven.tables || Boolean(options.tablesFilter), schemas: config.filtersGiven.schemas || Boolean(options.schemaFilters) };
  if (typeof options.prefix === 'string') {
    if (!(MIGRATION_PREFIXES as readonly string[]).includes(options.prefix)) throw new UsageError(`--prefix takes ${MIGRATION_PREFIXES.join(', ')} (got '${options.prefix}')`);
    result.prefix = options.prefix as ResolvedKitConfig['prefix'];
  }
  const introspectCasing = options['introspect-casing'];
  if (introspectCasing === 'camel' || introspectCasing === 'preserve') result.introspectCasing = introspectCasing;
  else if (introspectCasing !== undefined) throw new UsageError(`--introspect-casing takes camel or preserve (got '${String(introspectCasing)}')`);
  if (options.schema) result.schema = options.schema as string[];
  if (typeof options.out === 'string') result.out = options.out;
  if (typeof options.url === 'string') result.dbCredentials = options.url;
  if (typeof options.verbose === 'boolean') result.verbose = options.verbose;
  if (typeof options.strict === 'boolean') result.strict = options.strict;
  if (typeof options.breakpoints === 'boolean') result.breakpoints = options.breakpoints;
  if (typeof options['cratedb-version'] === 'string') result.cratedbVersion = options['cratedb-version'];
  if (options.casing === 'snake_case' || options.casing === 'camelCase') result.casing = options.casing;
  else if (options.casing !== undefined) throw new UsageError("--casing takes 'snake_case' or 'camelCase'");
  return result;
}

/** The version of this package, from its package.json (two folders up from src/kit and from dist/kit alike). */
export function packageVersion(): string {
  const path = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

export interface CliIo {
  out?: Output;
  cwd?: string;
  interactive?: boolean;
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? createOutput();
  let verbose = false;
  try {
    const { command, options } = parseArgs(argv);
    verbose = options.verbose === true;
    if (options.version) {
      out.line(`drizzle-cratedb ${packageVersion()}`);
      return 0;
    }
    if (!command || options.help) {
      out.line(helpText(command));
      return 0;
    }
    const cwd = io.cwd ?? process.cwd();
    // check and up only read the folder: with --out they need no config file.
    const folderOnly = (command === 'check' || command === 'up') && typeof options.out === 'string' && options.config === undefined;
    const loaded =
      folderOnly && !CONFIG_FILES.some((name) => existsSync(resolve(cwd, name)))
        ? resolveConfig({ dialect: 'cratedb' }, { root: cwd })
        : await loadConfig({ config: options.config as string | undefined, cwd });
    const config = applyOverrides(loaded, options);
    const interactive = io.interactive ?? (Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY));
    const ctx: CommandContext = { config, out, prompter: interactive ? terminalPrompter() : undefined };
    const renames = ((options.rename as string[] | undefined) ?? []).map(parseRenameSpec);
    const renameOptions = { renames, noRenames: options['no-renames'] === true, rebuild: options.rebuild === true };
    switch (command) {
      case 'generate':
        await generateCommand(ctx, { ...renameOptions, name: options.name as string | undefined, custom: options.custom === true });
        break;
      case 'migrate':
        await migrateCommand(ctx, { resume: options.resume === true, acceptChanged: options['accept-changed'] === true });
        break;
      case 'push':
        await pushCommand(ctx, { ...renameOptions, force: options.force === true, strict: config.strict, verbose: config.verbose, dropUnmanaged: options['drop-unmanaged'] === true });
        break;
      case 'pull':
        await pullCommand(ctx);
        break;
      case 'check':
        checkCommand(ctx);
        break;
      case 'export':
        await exportCommand(ctx);
        break;
      case 'up':
        upCommand(ctx);
        break;
    }
    return 0;
  } catch (error) {
    // Errors of this package (a user's mistake, or the server's answer) are shown without a stack; anything else is
    // a bug and shows where it happened.
    const known = isCrateError(error);
    const message = error instanceof Error ? error.message : String(error);
    out.error(`${out.red('Error:')} ${message}`);
    if (!known || verbose) {
      if (error instanceof Error && error.stack && (verbose || !known)) out.error(out.dim(error.stack.split('\n').slice(1).join('\n')));
    }
    return 1;
  }
}

const invoked = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invoked) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
