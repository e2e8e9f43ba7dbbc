/**
 * What this line takes from drizzle-orm 1.x that drizzle-orm 0.45 does not have. Imported through namespaces so
 * that loading this entry on the other line reaches the line check below instead of failing to link; every module
 * of this folder that needs one of these names imports it from here.
 */
import * as orm from 'drizzle-orm';
import * as pg from 'drizzle-orm/pg-core';
import { assertDrizzleLine } from '../../dialect/line-guard.js';

assertDrizzleLine('v1');

export const PgAsyncDatabase: typeof pg.PgAsyncDatabase = pg.PgAsyncDatabase;
export const PgAsyncSession: typeof pg.PgAsyncSession = pg.PgAsyncSession;
export const PgAsyncPreparedQuery: typeof pg.PgAsyncPreparedQuery = pg.PgAsyncPreparedQuery;
export const PgAsyncInsertBase: typeof pg.PgAsyncInsertBase = pg.PgAsyncInsertBase;
export const PgAsyncSelectBase: typeof pg.PgAsyncSelectBase = pg.PgAsyncSelectBase;
export const relationsFilterToSQL: typeof orm.relationsFilterToSQL = orm.relationsFilterToSQL;
export const relationsOrderToSQL: typeof orm.relationsOrderToSQL = orm.relationsOrderToSQL;
export const relationExtrasToSQL: typeof orm.relationExtrasToSQL = orm.relationExtrasToSQL;
export const EmptyFilter: typeof orm.EmptyFilter = orm.EmptyFilter;
export const operators: typeof orm.operators = orm.operators;
export const orderByOperators: typeof orm.orderByOperators = orm.orderByOperators;

export type PgAsyncDatabase<TQueryResult extends pg.PgQueryResultHKT, TRelations extends orm.AnyRelations = orm.EmptyRelations> = pg.PgAsyncDatabase<
  TQueryResult,
  TRelations
>;
export type PgAsyncSession<TQueryResult extends pg.PgQueryResultHKT = pg.PgQueryResultHKT, TRelations extends orm.AnyRelations = orm.EmptyRelations> = pg.PgAsyncSession<
  TQueryResult,
  TRelations
>;
export type PgAsyncPreparedQuery<T extends pg.PreparedQueryConfig> = pg.PgAsyncPreparedQuery<T>;
