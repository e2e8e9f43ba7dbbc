/**
 * What this line takes from drizzle-orm 0.45 that drizzle-orm 1.x does not have. Imported through namespaces so that
 * loading this entry on the other line reaches the line check below instead of failing to link; every module of
 * this folder that needs one of these names imports it from here.
 */
import * as orm from 'drizzle-orm';
import * as pg from 'drizzle-orm/pg-core';
import { assertDrizzleLine } from '../../dialect/line-guard.js';

assertDrizzleLine('0.45');

export const PgDatabase: typeof pg.PgDatabase = pg.PgDatabase;
export const PgPreparedQuery: typeof pg.PgPreparedQuery = pg.PgPreparedQuery;
export const getOperators: typeof orm.getOperators = orm.getOperators;
export const normalizeRelation: typeof orm.normalizeRelation = orm.normalizeRelation;
export const extractTablesRelationalConfig: typeof orm.extractTablesRelationalConfig = orm.extractTablesRelationalConfig;
export const createTableRelationsHelpers: typeof orm.createTableRelationsHelpers = orm.createTableRelationsHelpers;

export type PgDatabase<
  TQueryResult extends pg.PgQueryResultHKT,
  TFullSchema extends Record<string, unknown> = Record<string, never>,
  TSchema extends orm.TablesRelationalConfig = orm.ExtractTablesWithRelations<TFullSchema>,
> = pg.PgDatabase<TQueryResult, TFullSchema, TSchema>;
export type PgPreparedQuery<T extends pg.PreparedQueryConfig> = pg.PgPreparedQuery<T>;
