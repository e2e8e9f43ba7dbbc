/**
 * `CREATE BLOB TABLE` and `DROP BLOB TABLE`. Shard count, replicas and `blobs_path` go as parameters: CrateDB's
 * grammar takes them there (verified on 6.4.3). CrateDB has no `CREATE BLOB TABLE IF NOT EXISTS`.
 */
import { CrateConfigError } from '../shared/errors.js';
import { checkOptionKeys } from '../shared/options.js';
import { quote } from '../shared/sql-text.js';
import { checkBlobTableName } from './blobs.js';

export interface CreateBlobTableOptions {
  /** `CLUSTERED INTO n SHARDS`; CrateDB's default when left out. */
  shards?: number;
  /** `number_of_replicas`: a count, or a range such as `'0-1'` or `'1-all'`. */
  replicas?: number | string;
  /** `blobs_path`: where the nodes keep this table's files; absolute, or relative to CRATE_HOME. */
  blobsPath?: string;
}

export interface DropBlobTableOptions {
  /** `DROP BLOB TABLE IF EXISTS`. Default false. */
  ifExists?: boolean;
}

const REPLICA_RANGE = /^\d+(-(\d+|all))?$/;

export function createBlobTableStatement(table: string, options: CreateBlobTableOptions = {}): { stmt: string; args: unknown[] } {
  const where = 'createBlobTable()';
  checkBlobTableName(table, where);
  checkOptionKeys(where, options, ['shards', 'replicas', 'blobsPath']);
  const args: unknown[] = [];
  let stmt = `CREATE BLOB TABLE ${quote(table)}`;
  if (options.shards !== undefined) {
    if (!Number.isSafeInteger(options.shards) || options.shards < 1) {
      throw new CrateConfigError(`${where}: shards must be a whole number ≥ 1, not ${String(options.shards)}`, 'shards');
    }
    args.push(options.shards);
    stmt += ` CLUSTERED INTO $${args.length} SHARDS`;
  }
  const settings: string[] = [];
  if (options.replicas !== undefined) {
    const replicas = options.replicas;
    const valid = typeof replicas === 'number' ? Number.isSafeInteger(replicas) && replicas >= 0 : typeof replicas === 'string' && REPLICA_RANGE.test(replicas);
    if (!valid) throw new CrateConfigError(`${where}: replicas must be a count ≥ 0 or a range such as '0-1' or '1-all', not ${JSON.stringify(replicas)}`, 'replicas');
    args.push(replicas);
    settings.push(`number_of_replicas = $${args.length}`);
  }
  if (options.blobsPath !== undefined) {
    if (typeof options.blobsPath !== 'string' || options.blobsPath === '') {
      throw new CrateConfigError(`${where}: blobsPath must be a non-empty path, not ${JSON.stringify(options.blobsPath)}`, 'blobsPath');
    }
    args.push(options.blobsPath);
    settings.push(`blobs_path = $${args.length}`);
  }
  if (settings.length > 0) stmt += ` WITH (${settings.join(', ')})`;
  return { stmt, args };
}

export function dropBlobTableStatement(table: string, options: DropBlobTableOptions = {}): string {
  const where = 'dropBlobTable()';
  checkBlobTableName(table, where);
  checkOptionKeys(where, options, ['ifExists']);
  if (options.ifExists !== undefined && typeof options.ifExists !== 'boolean') {
    throw new CrateConfigError(`${where}: ifExists must be true or false, not ${JSON.stringify(options.ifExists)}`, 'ifExists');
  }
  return `DROP BLOB TABLE ${options.ifExists ? 'IF EXISTS ' : ''}${quote(table)}`;
}
