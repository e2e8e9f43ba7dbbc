/**
 * The kit's commands, independent of argument parsing: generate, migrate, push, pull, check, export.
 */
import '../driver/register-undici.js'; // the kit runs on Node: undici's pools
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CrateClient } from '../driver/index.js';
import { createTableSql } from '../schema/ddl.js';
import { checkFolder } from './check.js';
import { clientOptions, nameFilter, type ResolvedKitConfig } from './config.js';
import { compareVersions, DEFAULT_TARGET_VERSION, diffSnapshots, type Change } from './diff.js';
import { introspect } from './introspect.js';
import { CUSTOM_MIGRATION, latestSnapshot, readJournal, renderMigration, writeMigration } from './journal.js';
import { migrate, serverMessage } from './migrator.js';
import { changeLine, type Output } from './output.js';
import type { Prompter } from './prompt.js';
import { runRebuild } from './rebuild.js';
import { resolveRenames, type RenameSpec } from './renames.js';
import { loadSchemaDefinitions } from './schema-loader.js';
import { createSnapshot, emptySnapshot, type Snapshot } from './snapshot.js';
import { changeStatements } from './statements.js';
import { writeSchemaSource } from './pull-writer.js';
import { CrateKitError } from '../shared/errors.js';
import { projectEntry } from './project-line.js';
import { DEFAULT_SCHEMA } from '../shared/sql-text.js';

export class KitError extends CrateKitError {
  override name = 'KitError';
}

export interface CommandContext {
  readonly config: ResolvedKitConfig;
  readonly out: Output;
  /** Present when there is a terminal to ask on. */
  readonly prompter?: Prompter | undefined;
}

export interface GenerateOptions {
  name?: string | undefined;
  custom?: boolean;
  renames?: RenameSpec[];
  noRenames?: boolean;
  rebuild?: boolean;
}

const outDir = (config: ResolvedKitConfig) => resolve(config.root, config.out);

function printBlocked(out: Output, blocked: readonly Change[], command: string): never {
  out.error(out.red(`${command} stopped: CrateDB cannot ALTER these changes in place:`));
  for (const change of blocked) {
    if (change.kind !== 'rebuild') continue;
    for (const reason of change.reasons) out.error(`  ${out.red('✗')} ${reason}`);
  }
  throw new KitError(
    `rerun with --rebuild to recreate ${blocked.length === 1 ? 'the table' : 'these tables'} and copy every row (INSERT INTO ... SELECT, row count checked), or change the schema back`,
  );
}

function printPlan(out: Output, changes: readonly Change[], verbose: boolean): void {
  for (const change of changes) {
    out.line(`${changeLine(out, change.description)}${change.lossy ? out.red('  (data loss)') : ''}`);
    if (verbose) for (const statement of changeStatements(change)) out.line(out.dim(`    ${statement.replace(/\n/g, '\n    ')};`));
  }
}

function summary(changes: readonly Change[]): string {
  const count = (kinds: Change['kind'][]) => changes.filter((c) => kinds.includes(c.kind)).length;
  const parts = [
    [count(['create_table']), 'table(s) created'],
    [count(['drop_table']), 'table(s) dropped'],
    [count(['rebuild']), 'table(s) rebuilt'],
    [count(['add_column', 'drop_column', 'rename_column', 'set_default', 'set_settings', 'drop_check', 'set_shards', 'rename_table']), 'table change(s)'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n} ${label}`)
    .join(', ');
}

async function desiredSnapshot(config: ResolvedKitConfig, prevId: string): Promise<Snapshot> {
  const tables = await loadSchemaDefinitions(config.schema, config.root, config.casing);
  return createSnapshot(tables, prevId);
}

export async function generateCommand(ctx: CommandContext, options: GenerateOptions = {}): Promise<void> {
  const { config, out } = ctx;
  const folder = outDir(config);
  const journal = readJournal(folder);
  const prev = latestSnapshot(folder, journal);
  if (options.custom) {
    const snapshot = { ...prev, id: createSnapshot([], prev.id).id, prevId: prev.id };
    const written = writeMigration({ out: folder, snapshot, sql: CUSTOM_MIGRATION, name: options.name, breakpoints: config.breakpoints, journal, recordHash: false });
    out.line(`${out.green('✓')} Prepared an empty migration for your custom SQL: ${relative(config.root, written.sqlPath)}`);
    return;
  }
  const next = await desiredSnapshot(config, prev.id);
  const renames = await resolveRenames(prev, next, { specs: options.renames ?? [], prompter: ctx.prompter, noRenames: options.noRenames ?? false });
  const target = config.cratedbVersion ?? DEFAULT_TARGET_VERSION;
  const changes = diffSnapshots(prev, next, { renames, targetVersion: target });
  if (changes.length === 0) {
    out.line('No schema changes, nothing to migrate');
    return;
  }
  const blocked = changes.filter((change) => !change.inPlace);
  if (blocked.length && !options.rebuild) printBlocked(out, blocked, 'generate');
  printPlan(out, changes, config.verbose);
  const statements = changes.flatMap(changeStatements);
  const written = writeMigration({ out: folder, snapshot: next, sql: renderMigration(statements, config.breakpoints), name: options.name, breakpoints: config.breakpoints, journal });
  out.line(`${out.green('✓')} ${summary(changes)}: ${relative(config.root, written.sqlPath) || written.sqlPath} (${statements.length} statement${statements.length === 1 ? '' : 's'})`);
}

export async function exportCommand(ctx: CommandContext): Promise<void> {
  const next = await desiredSnapshot(ctx.config, emptySnapshot().id);
  const statements = Object.values(next.tables).map((table) => createTableSql(table));
  if (statements.length) ctx.out.line(statements.map((statement) => `${statement};`).join('\n\n'));
}

export function checkCommand(ctx: CommandContext): void {
  const folder = outDir(ctx.config);
  const problems = checkFolder(folder);
  if (!problems.length) {
    const count = existsSync(folder) ? readJournal(folder).entries.length : 0;
    ctx.out.line(`${ctx.out.green('✓')} ${count} migration${count === 1 ? '' : 's'} in ${ctx.config.out}: everything's fine`);
    return;
  }
  for (const problem of problems) ctx.out.error(`${ctx.out.red('✗')} ${problem.message}`);
  throw new KitError(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${ctx.config.out}`);
}

/** The live tables push and pull look at: the configured schemas and tables, without the migrations table. */
function introspectConfigured(client: CrateClient, config: ResolvedKitConfig): ReturnType<typeof introspect> {
  return introspect(client, {
    schemaFilter: config.schemaFilter,
    tablesFilter: nameFilter(config.tablesFilter),
    exclude: [`${config.migrationsSchema}.${config.migrationsTable}`],
  });
}

function connect(config: ResolvedKitConfig): CrateClient {
  return new CrateClient(clientOptions(config.dbCredentials));
}

export async function migrateCommand(ctx: CommandContext, options: { resume?: boolean } = {}): Promise<void> {
  const { config, out } = ctx;
  const client = connect(config);
  try {
    const result = await migrate(client, {
      migrationsFolder: outDir(config),
      migrationsTable: config.migrationsTable,
      migrationsSchema: config.migrationsSchema,
      resume: options.resume ?? false,
      logger: (message) => {
        if (message.startsWith('applied ')) out.line(`${out.green('✓')} ${message}`);
        else if (message.startsWith('warning')) out.line(out.yellow(message));
        else if (config.verbose || message.startsWith('resuming')) out.line(out.dim(message));
      },
    });
    out.line(
      result.applied.length
        ? `${out.green('✓')} ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'} applied`
        : `${out.green('✓')} nothing to apply: ${result.skipped.length} migration${result.skipped.length === 1 ? ' was' : 's were'} already applied`,
    );
  } finally {
    await client.close();
  }
}

export interface PushOptions {
  force?: boolean;
  strict?: boolean;
  verbose?: boolean;
  renames?: RenameSpec[];
  noRenames?: boolean;
  rebuild?: boolean;
}

export async function pushCommand(ctx: CommandContext, options: PushOptions = {}): Promise<void> {
  const { config, out } = ctx;
  const client = connect(config);
  try {
    const live = await introspectConfigured(client, config);
    const current = createSnapshot(live.tables, emptySnapshot().id);
    const desired = await desiredSnapshot(config, current.id);
    const target = config.cratedbVersion && compareVersions(config.cratedbVersion, live.version) < 0 ? config.cratedbVersion : live.version;
    const renames = await resolveRenames(current, desired, { specs: options.renames ?? [], prompter: ctx.prompter, noRenames: options.noRenames ?? false });
    const changes = diffSnapshots(current, desired, { renames, targetVersion: target, live: true });
    if (!changes.length) {
      out.line(`${out.green('✓')} No changes: the database matches the schema`);
      return;
    }
    const blocked = changes.filter((change) => !change.inPlace);
    if (blocked.length && !options.rebuild) printBlocked(out, blocked, 'push');
    out.line(out.bold(`Changes for CrateDB ${live.version}:`));
    printPlan(out, changes, options.verbose ?? config.verbose);
    const lossy = changes.filter((change) => change.lossy);
    if (lossy.length) out.line(out.red(`${lossy.length} change${lossy.length === 1 ? '' : 's'} lose${lossy.length === 1 ? 's' : ''} data (marked above)`));
    const ask = !options.force && (lossy.length > 0 || (options.strict ?? config.strict) || blocked.length > 0);
    if (ask) {
      if (!ctx.prompter) throw new KitError('push needs a confirmation and there is no terminal to ask on: rerun with --force to apply');
      if (!(await ctx.prompter.confirm('Apply these changes?'))) {
        out.line('Nothing applied.');
        return;
      }
    }
    const execute = async (statement: string) => {
      if (options.verbose ?? config.verbose) out.line(out.dim(statement));
      await client.sql(statement);
    };
    let done = 0;
    for (const change of changes) {
      if (change.kind === 'rebuild') {
        await runRebuild(execute, change);
      } else {
        for (const statement of changeStatements(change)) {
          try {
            await execute(statement);
          } catch (error) {
            throw new KitError(
              `push stopped at "${change.description}":\n\n    ${statement.replace(/\n/g, '\n    ')}\n\nCrateDB: ${serverMessage(error)}\n${done} of ${changes.length} changes were applied before it.`,
            );
          }
        }
      }
      done++;
      out.line(`${out.green('✓')} ${change.description}`);
    }
    out.line(`${out.green('✓')} Changes applied: ${summary(changes)}`);
  } finally {
    await client.close();
  }
}

export async function pullCommand(ctx: CommandContext, options: { importFrom?: string } = {}): Promise<void> {
  const { config, out } = ctx;
  const client = connect(config);
  try {
    const live = await introspectConfigured(client, config);
    const folder = outDir(config);
    mkdirSync(folder, { recursive: true });
    const schemaFile = join(folder, 'schema.ts');
    const pullOptions = { defaultShards: live.defaultShards, importFrom: options.importFrom ?? projectEntry(config.root) };
    writeFileSync(schemaFile, writeSchemaSource(live.tables, pullOptions));
    for (const table of live.tables) out.line(`${out.green('✓')} ${table.schema ?? DEFAULT_SCHEMA}.${table.name}: ${table.columns.length} column${table.columns.length === 1 ? '' : 's'}`);
    out.line(`${out.green('✓')} ${live.tables.length} table${live.tables.length === 1 ? '' : 's'} written to ${relative(config.root, schemaFile) || schemaFile}`);
    const journal = readJournal(folder);
    if (journal.entries.length === 0 && live.tables.length) {
      const snapshot = createSnapshot(live.tables, emptySnapshot().id);
      const statements = Object.values(snapshot.tables).map((table) => createTableSql(table));
      const sql =
        '-- Written by drizzle-cratedb pull: the database already has these tables. Uncomment to apply them elsewhere.\n/*\n' +
        `${renderMigration(statements, false)}*/\n`;
      const written = writeMigration({ out: folder, snapshot, sql, name: 'pulled', breakpoints: config.breakpoints, journal });
      out.line(`${out.green('✓')} Baseline migration ${relative(config.root, written.sqlPath)}: generate continues from the pulled schema`);
    }
  } finally {
    await client.close();
  }
}
