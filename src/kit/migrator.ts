/**
 * Applies a migration folder to CrateDB (`drizzle-cratedb/migrator`). CrateDB has no transactions, so each
 * migration is claimed, applied statement by statement and recorded as it goes:
 *
 * - claim: `INSERT` of the migration's row (status `applying`) into the migrations table, whose primary key is the
 *   migration's position in the folder (either layout, see folders.ts). A second migrator's insert fails with a duplicate key, so it waits for the first instead of
 *   applying the migration too.
 * - progress: after each statement the row's `statements_done` is updated; while applying, a heartbeat keeps
 *   `heartbeat_at` fresh, so a waiting migrator can tell a live run from a crashed one.
 * - done: status `applied`, then `REFRESH TABLE`, so the next read sees it.
 * - failure: status `failed` with CrateDB's error; the run stops naming the migration, the statement and the error.
 *   Earlier migrations stay recorded. A later run refuses to continue past a failed (or crashed) migration until
 *   it is told to resume (`resume: true`, CLI `--resume`), which retries from the statement that failed.
 */
import { randomUUID } from 'node:crypto';
import type { CrateClient } from '../driver/index.js';
import { CrateDBError } from '../driver/index.js';
import { CrateMigrationError } from '../shared/errors.js';
import { qualifiedName, refreshTableSql } from '../shared/sql-text.js';
import { readMigrations } from './folders.js';
import { stripComments, type MigrationFile } from './journal.js';
import { rebuildRecovery } from './rebuild.js';
import { tagSuffix } from './up.js';

/** The migrations table. */
interface TableRef {
  readonly schema: string;
  readonly name: string;
}

export interface MigrationConfig {
  migrationsFolder: string;
  /** Default `__drizzle_migrations`. */
  migrationsTable?: string;
  /** Default `drizzle`. */
  migrationsSchema?: string;
  /** Continue a migration that failed or whose run stopped midway, from the statement that did not complete. */
  resume?: boolean;
  /**
   * An applied migration whose file changed since (its sha256 differs from the recorded one) stops the run, naming
   * it. With `acceptChanged: true` (CLI `--accept-changed`) the file is accepted as it is now: its new hash is
   * recorded and a warning returned; the edit itself is not applied.
   */
  acceptChanged?: boolean;
  /** How long to wait for another migrator that is applying a migration. Default 10 minutes. */
  lockTimeout?: number;
  /** A run whose heartbeat is older than this (ms) is considered stopped. Default 30 s. */
  staleAfter?: number;
  /** Progress messages (`applying 0001_x`, `applied 0001_x (3 statements)`). */
  logger?: (message: string) => void;
}

export interface MigrateResult {
  /** Tags applied by this run. */
  readonly applied: string[];
  /** Tags that were already applied (by an earlier or a concurrent run). */
  readonly skipped: string[];
  /** Warnings, e.g. an applied migration whose changed file was accepted (`acceptChanged`). */
  readonly warnings: string[];
}

export class MigrationError extends CrateMigrationError {
  static override readonly errorName: string = 'MigrationError';
  constructor(
    message: string,
    readonly migration?: string,
    readonly statement?: string,
    readonly statementIndex?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Db = CrateClient | { $client: CrateClient };

interface MigrationRecord {
  id: number;
  tag: string;
  hash: string;
  status: 'applying' | 'applied' | 'failed';
  statements_done: number;
  statements_total: number;
  owner: string;
  error: string | null;
  heartbeat_age: number | null;
  _seq_no: number;
  _primary_term: number;
}

const HEARTBEAT_MS = 5_000;
const POLL_MS = 250;

function clientOf(db: Db): CrateClient {
  return 'sql' in db && typeof db.sql === 'function' ? db : (db as { $client: CrateClient }).$client;
}

async function rows(client: CrateClient, stmt: string, args: unknown[] = []): Promise<Record<string, unknown>[]> {
  const result = await client.sql(stmt, args);
  return result.rows.map((row) => Object.fromEntries(result.cols.map((col, i) => [col, row[i]])));
}

export function serverMessage(error: unknown): string {
  if (error instanceof CrateDBError) return error.serverMessage ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Right after CREATE TABLE the migrations table's shard may still be starting (another migrator just created it);
 * bookkeeping statements retry for a few seconds on such transient shard states.
 */
function withShardRetry(client: CrateClient): CrateClient {
  const transient = (error: unknown) =>
    error instanceof CrateDBError && /RECOVERING|shard state|NoShardAvailable|no shard available|UnavailableShards/i.test(serverMessage(error));
  const sql = async (stmt: string, args?: readonly unknown[]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.sql(stmt, args);
      } catch (error) {
        if (!transient(error) || attempt >= 40) throw error;
        await sleep(250);
      }
    }
  };
  return new Proxy(client, { get: (target, key) => (key === 'sql' ? sql : Reflect.get(target, key)) });
}

export async function migrate(db: Db, config: MigrationConfig): Promise<MigrateResult> {
  const client = withShardRetry(clientOf(db));
  const migrations = readMigrations(config.migrationsFolder);
  const ref = { schema: config.migrationsSchema ?? 'drizzle', name: config.migrationsTable ?? '__drizzle_migrations' };
  const table = qualifiedName(ref);
  const log = config.logger ?? (() => {});
  const lockTimeout = config.lockTimeout ?? 600_000;
  const staleAfter = config.staleAfter ?? 30_000;
  const owner = randomUUID();
  const result = { applied: [] as string[], skipped: [] as string[], warnings: [] as string[] };

  await ensureTable(client, ref);

  const read = async (id: number): Promise<MigrationRecord | undefined> => {
    // A lookup by primary key is real-time in CrateDB: no REFRESH needed.
    const [row] = await rows(
      client,
      `SELECT id, tag, hash, status, statements_done, statements_total, owner, error, ` +
        `heartbeat_at, CURRENT_TIMESTAMP AS server_now, _seq_no, _primary_term FROM ${table} WHERE id = ?`,
      [id],
    );
    if (!row) return undefined;
    // Both times come from the server's clock (decoded to Date by the transport), so client clock skew cannot matter.
    const { heartbeat_at: beat, server_now: now, ...record } = row;
    const age = beat instanceof Date && now instanceof Date ? now.getTime() - beat.getTime() : null;
    return { ...(record as unknown as MigrationRecord), heartbeat_age: age };
  };

  for (const migration of migrations) {
    const started = Date.now();
    for (;;) {
      const record = await read(migration.idx);
      if (!record) {
        if (await claim(client, ref, migration, owner)) {
          await apply(client, ref, migration, owner, 0, log);
          result.applied.push(migration.tag);
          break;
        }
        continue; // another migrator claimed it first: read its record
      }
      const moved = record.tag !== migration.tag && tagSuffix(record.tag) === tagSuffix(migration.tag);
      if (moved && record.hash !== migration.hash && record.status === 'applied' && !config.acceptChanged) throw changedError(migration, record);
      if (moved && (record.hash === migration.hash || (record.status === 'applied' && config.acceptChanged))) {
        // The same file under a new name: `up` moved 0000_init.sql to 20250101000000_init/migration.sql. The
        // record takes the new name, as drizzle-orm 1.0's migrator back-fills names after drizzle-kit up.
        await client.sql(`UPDATE ${table} SET tag = ? WHERE id = ? AND tag = ?`, [migration.tag, record.id, record.tag]);
        await client.sql(refreshTableSql([ref]));
        log(`${record.tag} is now ${migration.tag} (same file, moved by up)`);
        continue;
      }
      if (record.tag !== migration.tag) {
        throw new MigrationError(
          `the database recorded migration ${record.tag} at position ${record.id}, but the folder has ${migration.tag} there: ` +
            'the folder and the database have diverged (was a migration deleted or regenerated after it was applied?)',
          migration.tag,
        );
      }
      if (record.status === 'applied') {
        if (record.hash !== migration.hash) {
          if (!config.acceptChanged) throw changedError(migration, record);
          await client.sql(`UPDATE ${table} SET hash = ? WHERE id = ? AND tag = ?`, [migration.hash, record.id, record.tag]);
          const warning = `${migration.tag} was applied, but its file has changed since; accepted as it is now (new hash recorded), the change is not applied`;
          result.warnings.push(warning);
          log(`warning: ${warning}`);
        }
        if (!result.applied.includes(migration.tag)) result.skipped.push(migration.tag);
        break;
      }
      const stopped = record.status === 'failed' || (record.heartbeat_age ?? Infinity) > staleAfter;
      if (!stopped) {
        if (Date.now() - started > lockTimeout) {
          throw new MigrationError(
            `${migration.tag} is being applied by another migrator (${record.statements_done} of ${record.statements_total} statements done) and did not finish within ${Math.round(lockTimeout / 1000)} s`,
            migration.tag,
          );
        }
        if (record.owner !== owner) log(`waiting: ${migration.tag} is being applied by another migrator`);
        await sleep(POLL_MS);
        continue;
      }
      if (!config.resume) throw stoppedError(record, migration, table);
      // Take the migration over; _seq_no/_primary_term make sure only one resuming migrator does.
      const taken = await client.sql(
        `UPDATE ${table} SET owner = ?, status = 'applying', hash = ?, statements_total = ?, heartbeat_at = CURRENT_TIMESTAMP, error = NULL ` +
          `WHERE id = ? AND _seq_no = ? AND _primary_term = ?`,
        [owner, migration.hash, migration.statements.length, migration.idx, record._seq_no, record._primary_term],
      );
      if (taken.rowCount !== 1) continue;
      await client.sql(refreshTableSql([ref]));
      log(`resuming ${migration.tag} at statement ${record.statements_done + 1} of ${migration.statements.length}`);
      await apply(client, ref, migration, owner, record.statements_done, log);
      result.applied.push(migration.tag);
      break;
    }
  }
  await client.sql(refreshTableSql([ref]));
  return result;
}

async function ensureTable(client: CrateClient, ref: TableRef): Promise<void> {
  const table = qualifiedName(ref);
  try {
    await client.sql(
      `CREATE TABLE IF NOT EXISTS ${table} (` +
        `"id" INTEGER PRIMARY KEY, "tag" TEXT NOT NULL, "hash" TEXT NOT NULL, "created_at" BIGINT, ` +
        `"status" TEXT NOT NULL, "statements_done" INTEGER, "statements_total" INTEGER, "owner" TEXT, ` +
        `"started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "heartbeat_at" TIMESTAMP WITH TIME ZONE, "error" TEXT` +
        `) CLUSTERED INTO 1 SHARDS`,
    );
  } catch (error) {
    // Two migrators creating the table at once: the loser sees it exists.
    if (!(error instanceof CrateDBError) || !/already exists/i.test(serverMessage(error))) throw error;
  }
}

async function claim(client: CrateClient, ref: TableRef, migration: MigrationFile, owner: string): Promise<boolean> {
  const table = qualifiedName(ref);
  try {
    await client.sql(
      `INSERT INTO ${table} ("id", "tag", "hash", "created_at", "status", "statements_done", "statements_total", "owner", "started_at", "heartbeat_at") ` +
        `VALUES (?, ?, ?, ?, 'applying', 0, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
      [migration.idx, migration.tag, migration.hash, migration.when, migration.statements.length, owner],
    );
    // UPDATEs that filter on more than the primary key search the table: make the claim visible to them.
    await client.sql(refreshTableSql([ref]));
    return true;
  } catch (error) {
    if (error instanceof CrateDBError && error.kind === 'duplicate-key') return false;
    throw error;
  }
}

async function apply(client: CrateClient, ref: TableRef, migration: MigrationFile, owner: string, from: number, log: (message: string) => void): Promise<void> {
  const table = qualifiedName(ref);
  const total = migration.statements.length;
  log(`applying ${migration.tag} (${total} statement${total === 1 ? '' : 's'})`);
  let heartbeatFailed: unknown;
  const heartbeat = setInterval(() => {
    client
      .sql(`UPDATE ${table} SET heartbeat_at = CURRENT_TIMESTAMP WHERE id = ? AND owner = ?`, [migration.idx, owner])
      .catch((error: unknown) => {
        heartbeatFailed = error;
      });
  }, HEARTBEAT_MS);
  heartbeat.unref?.();
  try {
    for (let i = from; i < total; i++) {
      const statement = migration.statements[i]!;
      try {
        await client.sql(stripComments(statement).trim());
      } catch (error) {
        const recovery = rebuildRecovery(migration.statements, i);
        if (recovery?.cleanup) await client.sql(recovery.cleanup).catch(() => undefined);
        const resumeAt = recovery?.resumeAt ?? i;
        const note = recovery ? `\n${recovery.note}` : '';
        await client
          .sql(`UPDATE ${table} SET status = 'failed', statements_done = ?, error = ? WHERE id = ? AND owner = ?`, [resumeAt, serverMessage(error), migration.idx, owner])
          .then(() => client.sql(refreshTableSql([ref])))
          .catch(() => undefined);
        const applied = resumeAt > 0 ? `Statements 1-${resumeAt} of ${migration.tag} were applied and stay applied. ` : '';
        throw new MigrationError(
          `migration ${migration.tag} failed at statement ${i + 1} of ${total}:\n\n${indent(statement)}\n\nCrateDB: ${serverMessage(error)}${note}\n` +
            `${applied}Earlier migrations stay recorded. Fix the cause, then run migrate again with --resume to continue ` +
            `at statement ${resumeAt + 1}.`,
          migration.tag,
          statement,
          i,
          { cause: error },
        );
      }
      await client.sql(`UPDATE ${table} SET statements_done = ? WHERE id = ? AND owner = ?`, [i + 1, migration.idx, owner]);
      await client.sql(refreshTableSql([ref]));
    }
    const done = await client.sql(
      `UPDATE ${table} SET status = 'applied', statements_done = ?, finished_at = CURRENT_TIMESTAMP, error = NULL WHERE id = ? AND owner = ?`,
      [total, migration.idx, owner],
    );
    if (done.rowCount !== 1) {
      throw new MigrationError(`${migration.tag} was applied, but another migrator took over its record meanwhile${heartbeatFailed ? ` (heartbeat failed: ${serverMessage(heartbeatFailed)})` : ''}`, migration.tag);
    }
    await client.sql(refreshTableSql([ref]));
    log(`applied ${migration.tag}`);
  } finally {
    clearInterval(heartbeat);
  }
}

function changedError(migration: MigrationFile, record: MigrationRecord): MigrationError {
  const recordedAs = record.tag === migration.tag ? '' : ` (recorded as ${record.tag})`;
  return new MigrationError(
    `migration ${migration.tag}${recordedAs} was applied, but its file has changed since (sha256 ${migration.hash.slice(0, 12)}…, recorded ${record.hash.slice(0, 12)}…). ` +
      'migrate does not apply edits to an applied migration: restore the file and put the change in a new migration ' +
      '(generate, or generate --custom), or accept the file as it is now with --accept-changed (acceptChanged: true), which records its new hash without applying it.',
    migration.tag,
  );
}

function stoppedError(record: MigrationRecord, migration: MigrationFile, table: string): MigrationError {
  const how =
    record.status === 'failed'
      ? `failed in an earlier run at statement ${record.statements_done + 1} of ${record.statements_total}: ${record.error ?? 'unknown error'}`
      : `was being applied by a run that stopped (no heartbeat) after ${record.statements_done} of ${record.statements_total} statements`;
  return new MigrationError(
    `migration ${migration.tag} ${how}.\n` +
      `${record.statements_done > 0 ? `Statements 1-${record.statements_done} were applied. ` : ''}Fix the cause, then run migrate with --resume ` +
      `to continue at statement ${record.statements_done + 1}; or undo what was applied and delete its record ` +
      `(DELETE FROM ${table} WHERE id = ${record.id}) to start it over.`,
    migration.tag,
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
