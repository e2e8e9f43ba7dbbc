/**
 * Table settings (`WITH (...)`): the ones CrateDB documents, typed; which it reports although never set; which it
 * fixes at creation. Read by the column builders of both lines, the differ and introspection.
 */
import { CrateSchemaError } from '../shared/errors.js';
import type { TableSettingValue } from '../columns/definition.js';

/** Table settings CrateDB knows, typed; any other key is allowed and passed through (nested keys are dotted). */
export interface KnownTableSettings {
  number_of_replicas?: number | string;
  number_of_routing_shards?: number;
  refresh_interval?: number;
  codec?: 'default' | 'best_compression';
  column_policy?: 'strict' | 'dynamic';
  max_ngram_diff?: number;
  max_shingle_diff?: number;
  'write.wait_for_active_shards'?: number | string;
  'blocks.read_only'?: boolean;
  'blocks.read_only_allow_delete'?: boolean;
  'blocks.read'?: boolean;
  'blocks.write'?: boolean;
  'blocks.metadata'?: boolean;
  'soft_deletes.retention_lease.period'?: string;
  'store.type'?: 'fs' | 'niofs' | 'mmapfs' | 'hybridfs';
  'mapping.total_fields.limit'?: number;
  'mapping.depth.limit'?: number;
  'translog.flush_threshold_size'?: string | number;
  'translog.sync_interval'?: string | number;
  'translog.durability'?: 'request' | 'async';
  'allocation.max_retries'?: number;
  'unassigned.node_left.delayed_timeout'?: string;
  'merge.scheduler.max_thread_count'?: number;
  'routing.allocation.total_shards_per_node'?: number;
  'routing.allocation.enable'?: 'all' | 'primaries' | 'new_primaries' | 'none';
}

export type TableSettings = KnownTableSettings & Record<string, TableSettingValue | undefined>;

/**
 * Settings CrateDB reports in SHOW CREATE TABLE and information_schema even when never set, at these values: absent
 * and these values mean the same table.
 */
export const REPORTED_SETTING_DEFAULTS: Readonly<Record<string, string>> = { column_policy: 'strict', number_of_replicas: '0-1' };

/** Settings CrateDB fixes when the table is created: changing them means rebuilding the table. */
export const STATIC_SETTINGS: ReadonlySet<string> = new Set(['codec', 'store.type', 'number_of_routing_shards']);

/** Settings whose values CrateDB reports in lower case whatever case they were written in. */
export const CASE_INSENSITIVE_SETTINGS: readonly string[] = ['translog.durability', 'routing.allocation.enable', 'column_policy', 'codec'];

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Drops undefined values and checks names and value types; `table` names the table in errors when known. */
export function checkedSettings(settings: TableSettings, table?: string): Record<string, TableSettingValue> {
  const defined: Record<string, TableSettingValue> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (!SETTING_NAME.test(key)) {
      throw new CrateSchemaError({ table, option: 'withOptions()' }, 'table-setting', `'${key}' is not a table setting name (letters, digits, _ and dots)`);
    }
    if (!['string', 'number', 'boolean'].includes(typeof value) || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new CrateSchemaError(
        { table, option: 'withOptions()' },
        'table-setting',
        `setting '${key}' must be a string, a finite number or a boolean, got ${String(value)}`,
      );
    }
    defined[key] = value;
  }
  return defined;
}

/**
 * Settings as introspection should store them: what CrateDB always reports at its default dropped, names CrateDB
 * lower-cases lower-cased, so a live table and its schema compare equal.
 */
export function normalizeReportedSettings(settings: Readonly<Record<string, TableSettingValue>>): Record<string, TableSettingValue> {
  const result = { ...settings };
  for (const [key, value] of Object.entries(REPORTED_SETTING_DEFAULTS)) {
    if (result[key] !== undefined && String(result[key]).toLowerCase() === value) delete result[key];
  }
  for (const key of CASE_INSENSITIVE_SETTINGS) {
    if (typeof result[key] === 'string') result[key] = (result[key] as string).toLowerCase();
  }
  return result;
}

/**
 * A setting's value as text for comparison: lower case (CrateDB reports some enumerated values in upper case, e.g.
 * 'translog.durability' = 'ASYNC'), with CrateDB's reported default standing in for an absent one.
 */
export function settingForComparison(settings: Readonly<Record<string, TableSettingValue>>, key: string): string | undefined {
  const value = settings[key];
  return value === undefined ? REPORTED_SETTING_DEFAULTS[key] : String(value).toLowerCase();
}
