/**
 * The kit's commands, independent of argument parsing: generate, migrate, push, pull, check, export.
 */
import '../driver/register-undici.js'; // the kit runs on Node: undici's pools
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CrateClient } from '../driver/index.js';
import { createTableSql } from '../tables/ddl.js';
import { checkFolder } from './check.js';
import { clientOptions, nameFilter, type ResolvedKitConfig } from './config.js';
import { compareVersions, DEFAULT_TARGET_VERSION, diffSnapshots, type Change } from './diff.js';
import { introspect } from './introspect.js';
import { detectLayout, latestSnapshot, layoutFor, migrationCount, writeNewMigration, type FolderLayout } from './folders.js';
import { CUSTOM_MIGRATION, renderMigration } from './journal.js';
import { upgradeFolder } from './up.js';
import { migrate, serverMessage } from './migrator.js';
import { changeLine, type Output } from './output.js';
import type { Prompter } from './prompt.js';
import { runRebuild } from './rebuild.js';
import { resolveRenames, type RenameSpec } from './renames.js';
import { loadSchemaModel } from './schema-loader.js';
import { createViewSql, orderViews, relationKey } from '../tables/views.js';
import { createSnapshot, emptySnapshot, tableKey, type Snapshot } from './snapshot.js';
import type { TableDefinition } from '../columns/definition.js';
import { changeStatements } from './statements.js';
import { writeSchemaSource } from './pull-writer.js';
import { CrateKitError } from '../shared/errors.js';
import { projectEntry, projectLine } from './project-line.js';
import { DEFAULT_SCHEMA } from '../shared/sql-text.js';

export class KitError extends CrateKitError {
  static override readonly errorName: string = 'KitError';
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
    [count(['create_view', 'drop_view']), 'view change(s)'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${n} ${label}`)
    .join(', ');
}

async function desiredSnapshot(config: ResolvedKitConfig, prevId: string): Promise<Snapshot> {
  const { tables, views } = await loadSchemaModel(config.schema, config.root, config.casing);
  return createSnapshot(tables, prevId, undefined, views);
}

/** CREATE TABLE for every table, then CREATE VIEW for every view, each after the views it reads. */
function createAllStatements(snapshot: Snapshot): string[] {
  return [
    ...Object.values(snapshot.tables).map((table) => createTableSql(table)),
    ...orderViews(Object.values(snapshot.views ?? {})).map((view) => createViewSql(view)),
  ];
}

/** Where a new migration goes: the folder's layout (or the project's line's), the prefix for the journal layout. */
function target(ctx: CommandContext, folder: string): { layout: FolderLayout; prefix: ResolvedKitConfig['prefix']; breakpoints: boolean } {
  const { config, out } = ctx;
  const layout = layoutFor(folder, config.root);
  if (layout === 'folders' && config.prefix !== 'index') {
    out.line(out.yellow(`note: migrations.prefix '${config.prefix}' applies to drizzle-kit 0.31's layout; drizzle-kit 1.0's folders are always named by time`));
  }
  if (layout === 'journal' && detectLayout(folder) === 'journal' && projectLine(config.root).migrations === 'folders') {
    out.line(out.yellow(`note: ${config.out} is in drizzle-kit 0.31's layout; drizzle-cratedb up moves it to drizzle-kit 1.0's (a folder per migration)`));
  }
  return { layout, prefix: config.prefix, breakpoints: config.breakpoints };
}

export async function generateCommand(ctx: CommandContext, options: GenerateOptions = {}): Promise<void> {
  const { config, out } = ctx;
  const folder = outDir(config);
  const prev = latestSnapshot(folder);
  const where = target(ctx, folder);
  if (options.custom) {
    const snapshot = { ...prev, id: createSnapshot([], prev.id).id, prevId: prev.id };
    const written = writeNewMigration({ out: folder, snapshot, sql: CUSTOM_MIGRATION, name: options.name, ...where, recordHash: false });
    out.line(`${out.green('✓')} Prepared an empty migration for your custom SQL: ${relative(config.root, written.sqlPath)}`);
    return;
  }
  const next = await desiredSnapshot(config, prev.id);
  const renames = await resolveRenames(prev, next, { specs: options.renames ?? [], prompter: ctx.prompter, noRenames: options.noRenames ?? false });
  const changes = diffSnapshots(prev, next, { renames, targetVersion: config.cratedbVersion ?? DEFAULT_TARGET_VERSION });
  if (changes.length === 0) {
    out.line('No schema changes, nothing to migrate');
    return;
  }
  const blocked = changes.filter((change) => !change.inPlace);
  if (blocked.length && !options.rebuild) printBlocked(out, blocked, 'generate');
  printPlan(out, changes, config.verbose);
  const statements = changes.flatMap(changeStatements);
  const written = writeNewMigration({ out: folder, snapshot: next, sql: renderMigration(statements, config.breakpoints), name: options.name, ...where });
  out.line(`${out.green('✓')} ${summary(changes)}: ${relative(config.root, written.sqlPath) || written.sqlPath} (${statements.length} statement${statements.length === 1 ? '' : 's'})`);
}

export async function exportCommand(ctx: CommandContext): Promise<void> {
  const next = await desiredSnapshot(ctx.config, emptySnapshot().id);
  const statements = createAllStatements(next);
  if (statements.length) ctx.out.line(statements.map((statement) => `${statement};`).join('\n\n'));
}

export function checkCommand(ctx: CommandContext): void {
  const folder = outDir(ctx.config);
  const problems = checkFolder(folder);
  if (!problems.length) {
    const count = existsSync(folder) ? migrationCount(folder) : 0;
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

export function upCommand(ctx: CommandContext): void {
  const { config, out } = ctx;
  const { moved } = upgradeFolder(outDir(config));
  for (const { from, to } of moved) out.line(`${out.green('✓')} ${from}.sql → ${to}/migration.sql`);
  out.line(
    `${out.green('✓')} ${config.out} is in drizzle-kit 1.0's layout: ${moved.length} migration${moved.length === 1 ? '' : 's'} moved. ` +
      'Databases that applied them need nothing: migrate recognises each moved file by its hash.',
  );
}

export async function migrateCommand(ctx: CommandContext, options: { resume?: boolean; acceptChanged?: boolean } = {}): Promise<void> {
  const { config, out } = ctx;
  const client = connect(config);
  try {
    const result = await migrate(client, {
      migrationsFolder: outDir(config),
      migrationsTable: config.migrationsTable,
      migrationsSchema: config.migrationsSchema,
      resume: options.resume ?? false,
      acceptChanged: options.acceptChanged ?? false,
      logger: (message) => {
        if (message.startsWith('applied ')) out.line(`${out.green('✓')} ${message}`);
        else if (message.startsWith('warning')) out.line(out.yellow(message));
        else if (config.verbose || message.startsWith('resuming') || message.includes(' is now ')) out.line(out.dim(message));
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
  /** Drop tables that exist in the database but in no schema file, even when no filter of the config names them. */
  dropUnmanaged?: boolean;
}

/**
 * Tables push found in the database but in no schema file. They are someone else's unless the user said otherwise:
 * a tablesFilter or schemaFilter of their own (config or command line) covers them, or --drop-unmanaged.
 */
export function unmanagedTables(config: ResolvedKitConfig, live: readonly TableDefinition[], desired: Snapshot): TableDefinition[] {
  if (config.filtersGiven.tables || config.filtersGiven.schemas) return [];
  return live.filter((table) => !desired.tables[tableKey(table)]);
}

function printUnmanaged(out: Output, config: ResolvedKitConfig, tables: readonly TableDefinition[]): void {
  const files = config.schema.length ? config.schema.join(', ') : 'the schema files';
  out.line(out.yellow(`push leaves ${tables.length} table${tables.length === 1 ? '' : 's'} alone that exist${tables.length === 1 ? 's' : ''} in the database but in no schema file (${files}):`));
  for (const table of tables) out.line(out.yellow(`  table ${table.name} in schema ${table.schema ?? DEFAULT_SCHEMA}: in the database, in none of ${files}`));
  out.line(
    out.yellow(
      `They are not dropped: no filter of yours covers them (schemaFilter defaults to ['${DEFAULT_SCHEMA}'], which other applications share). ` +
        `To manage them, or to drop one you removed from the schema, set tablesFilter (e.g. tablesFilter: ['${tables[0]!.name}']) or schemaFilter ` +
        'in drizzle.config.ts (or --tablesFilter / --schemaFilters), or rerun with --drop-unmanaged.',
    ),
  );
}

export async function pushCommand(ctx: CommandContext, options: PushOptions = {}): Promise<void> {
  const { config, out } = ctx;
  const client = connect(config);
  try {
    const live = await introspectConfigured(client, config);
    const desired = await desiredSnapshot(config, emptySnapshot().id);
    const unmanaged = unmanagedTables(config, live.tables, desired);
    const leftAlone = options.dropUnmanaged ? [] : unmanaged;
    // Left-alone tables are out of the comparison: neither dropped nor offered as the old name of a rename.
    // Views follow the tables' rule: one in no schema file is left alone unless the filters or --drop-unmanaged cover it.
    const dropViews = options.dropUnmanaged || config.filtersGiven.tables || config.filtersGiven.schemas;
    const current = createSnapshot(
      live.tables.filter((table) => !leftAlone.includes(table)),
      emptySnapshot().id,
      undefined,
      live.views.filter((view) => dropViews || desired.views?.[relationKey(view)]),
    );
    if (leftAlone.length) printUnmanaged(out, config, leftAlone);
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
    // Every table keeps its shard count, the server's default included: the baseline migration says CLUSTERED INTO
    // n SHARDS, and the file must describe the same table (the default depends on the cluster's size).
    const pullOptions = { importFrom: options.importFrom ?? projectEntry(config.root), casing: config.introspectCasing };
    writeFileSync(schemaFile, writeSchemaSource(live.tables, pullOptions, live.views));
    for (const table of live.tables) out.line(`${out.green('✓')} ${table.schema ?? DEFAULT_SCHEMA}.${table.name}: ${table.columns.length} column${table.columns.length === 1 ? '' : 's'}`);
    for (const view of live.views) out.line(`${out.green('✓')} ${view.schema ?? DEFAULT_SCHEMA}.${view.name}: view`);
    out.line(`${out.green('✓')} ${live.tables.length} table${live.tables.length === 1 ? '' : 's'}${live.views.length ? ` and ${live.views.length} view${live.views.length === 1 ? '' : 's'}` : ''} written to ${relative(config.root, schemaFile) || schemaFile}`);
    if (migrationCount(folder) === 0 && (live.tables.length || live.views.length)) {
      const snapshot = createSnapshot(live.tables, emptySnapshot().id, undefined, live.views.map(({ name, schema, definition }) => ({ name, schema, definition })));
      const statements = createAllStatements(snapshot);
      const sql =
        '-- Written by drizzle-cratedb pull: the database already has these tables. Uncomment to apply them elsewhere.\n/*\n' +
        `${renderMigration(statements, false)}*/\n`;
      const written = writeNewMigration({ out: folder, snapshot, sql, name: 'pulled', ...target(ctx, folder) });
      out.line(`${out.green('✓')} Baseline migration ${relative(config.root, written.sqlPath)}: generate continues from the pulled schema`);
    }
  } finally {
    await client.close();
  }
}
