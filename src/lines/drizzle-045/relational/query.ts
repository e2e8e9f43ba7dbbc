/**
 * `db.query.<table>.findMany()` / `findFirst()` for CrateDB: the same API and result types as drizzle-orm's
 * pg-core relational queries, run by {@link planRelationalQuery} and {@link loadRelational} instead of one LATERAL
 * statement.
 */
import { entityKind, QueryPromise, type DBQueryConfig, type Query, type SQL, type TableRelationalConfig } from 'drizzle-orm';
import type { PgTable, PreparedQueryConfig } from 'drizzle-orm/pg-core';
import { compileNode, loadRelational, type CompiledNode, type LoadOptions } from '../../../dialect/relational/loader.js';
import type { ResolvedRelationalOptions } from '../../../dialect/relational/options.js';
import type { CrateDialect } from '../dialect.js';
import { PgPreparedQuery } from '../orm.js';
import type { CratePreparedQuery, CrateSession } from '../session.js';
import { planRelationalQuery, type RelationalSchema } from './plan.js';

export { DEFAULT_KEYS_PER_REQUEST, resolveRelationalOptions, type RelationalQueryOptions } from '../../../dialect/relational/options.js';

interface QueryContext {
  readonly relational: RelationalSchema;
  readonly table: PgTable;
  readonly tableConfig: TableRelationalConfig;
  readonly dialect: CrateDialect;
  readonly session: CrateSession;
  readonly options: ResolvedRelationalOptions;
}

/** What `db.query.<table>` is at run time; its TypeScript type stays pg-core's `RelationalQueryBuilder`. */
export class CrateRelationalQueryBuilder {
  static readonly [entityKind]: string = 'CrateRelationalQueryBuilder';

  constructor(private readonly context: QueryContext) {}

  findMany(config?: DBQueryConfig<'many', true>): CrateRelationalQuery<Record<string, unknown>[]> {
    return new CrateRelationalQuery(this.context, config ?? {}, 'many');
  }

  findFirst(config?: Omit<DBQueryConfig<'many', true>, 'limit'>): CrateRelationalQuery<Record<string, unknown> | undefined> {
    return new CrateRelationalQuery(this.context, { ...config, limit: 1 }, 'first');
  }
}

export class CrateRelationalQuery<TResult> extends QueryPromise<TResult> {
  static override readonly [entityKind]: string = 'CrateRelationalQuery';

  declare readonly _: { readonly dialect: 'pg'; readonly result: TResult };

  constructor(
    private readonly context: QueryContext,
    private readonly config: DBQueryConfig<'many', true>,
    private readonly mode: 'many' | 'first',
  ) {
    super();
  }

  /** @internal used by `db.batch()` */
  _prepare(name?: string): CrateRelationalPreparedQuery<PreparedQueryConfig & { execute: TResult }> {
    const { relational, table, tableConfig, dialect, session, options } = this.context;
    const plan = planRelationalQuery(relational, table, tableConfig, this.config, options);
    const root = compileNode(plan, (node) => {
      const query = dialect.sqlToQuery(node.statement);
      const prepared = session.prepareQuery(query, undefined, name, true) as CratePreparedQuery;
      return { query, run: (placeholders) => prepared.values(placeholders) as Promise<unknown[][]> };
    });
    return new CrateRelationalPreparedQuery(root, this.mode, options);
  }

  prepare(name: string): CrateRelationalPreparedQuery<PreparedQueryConfig & { execute: TResult }> {
    return this._prepare(name);
  }

  /** The first statement (the root table's); the statements of relations follow from the keys it returns. */
  toSQL(): Query {
    return this._prepare().getQuery();
  }

  /** @internal Every statement the query runs, root first, depth first, with the parent keys as placeholders (for tests and debugging). */
  toSQLPlan(): { path: string; query: Query }[] {
    const statements: { path: string; query: Query }[] = [];
    const walk = (compiled: CompiledNode) => {
      statements.push({ path: compiled.node.path, query: compiled.query });
      for (const { compiled: child } of compiled.children) walk(child);
    };
    walk(this._prepare().root);
    return statements;
  }

  getSQL(): SQL {
    const { relational, table, tableConfig, options } = this.context;
    return planRelationalQuery(relational, table, tableConfig, this.config, options).statement;
  }

  override execute(): Promise<TResult> {
    return this._prepare().execute();
  }
}

export class CrateRelationalPreparedQuery<T extends PreparedQueryConfig> extends PgPreparedQuery<T> {
  static override readonly [entityKind]: string = 'CrateRelationalPreparedQuery';

  constructor(
    /** @internal */
    readonly root: CompiledNode,
    private readonly mode: 'many' | 'first',
    private readonly options: LoadOptions,
  ) {
    super(root.query, undefined, undefined);
  }

  async execute(placeholderValues: Record<string, unknown> = {}): Promise<T['execute']> {
    const rows = await loadRelational(this.root, placeholderValues, this.options);
    return (this.mode === 'first' ? rows[0] : rows) as T['execute'];
  }

  /** @internal pg-core's prepared-query contract */
  all(placeholderValues: Record<string, unknown> = {}): Promise<T['all']> {
    return this.execute(placeholderValues) as Promise<T['all']>;
  }

  /** @internal pg-core's prepared-query contract */
  isResponseInArrayMode(): boolean {
    return true;
  }
}
