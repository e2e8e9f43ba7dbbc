/**
 * `db.query.<table>.findMany()` / `findFirst()` of relational queries v2 for CrateDB: drizzle v1's API and result
 * types, run by {@link planRelationalQuery} and the shared loader instead of one LATERAL statement. The TypeScript
 * types of `db.query` stay drizzle's; the objects behind it are these.
 */
import { entityKind, QueryPromise, type AnyRelations, type Query, type SQL, type TableRelationalConfig } from 'drizzle-orm';
import { compileNode, loadRelational, type CompiledNode, type LoadOptions } from '../../../dialect/relational/loader.js';
import { resolveRelationalOptions, type RelationalQueryOptions, type ResolvedRelationalOptions } from '../../../dialect/relational/options.js';
import type { CrateDialect } from '../dialect.js';
import type { CrateSession } from '../session.js';
import { planRelationalQuery } from './plan.js';

export { DEFAULT_KEYS_PER_REQUEST, type RelationalQueryOptions } from '../../../dialect/relational/options.js';

interface QueryContext {
  readonly relations: AnyRelations;
  readonly tableConfig: TableRelationalConfig;
  readonly dialect: CrateDialect;
  readonly session: CrateSession<any>;
  readonly options: ResolvedRelationalOptions;
}

/** Replaces drizzle's `db.query` builders (one LATERAL statement) with CrateDB's (a statement per relation). */
export function installRelationalQueries(
  db: object,
  relations: AnyRelations,
  dialect: CrateDialect,
  session: CrateSession<any>,
  relationalQueries: RelationalQueryOptions | undefined,
): void {
  const options = resolveRelationalOptions(relationalQueries);
  const builders: Record<string, CrateRelationalQueryBuilder> = {};
  for (const [name, tableConfig] of Object.entries(relations)) {
    builders[name] = new CrateRelationalQueryBuilder({ relations, tableConfig: tableConfig as TableRelationalConfig, dialect, session, options });
  }
  (db as { query: Record<string, CrateRelationalQueryBuilder> }).query = builders;
}

/** What `db.query.<table>` is at run time; its TypeScript type stays drizzle's `RelationalQueryBuilder`. */
export class CrateRelationalQueryBuilder {
  static readonly [entityKind]: string = 'CrateRelationalQueryBuilderV2';

  constructor(private readonly context: QueryContext) {}

  findMany(config?: object): CrateRelationalQuery<Record<string, unknown>[]> {
    return new CrateRelationalQuery(this.context, config ?? {}, 'many');
  }

  findFirst(config?: object): CrateRelationalQuery<Record<string, unknown> | undefined> {
    return new CrateRelationalQuery(this.context, { ...config, limit: 1 }, 'first');
  }
}

export class CrateRelationalQuery<TResult> extends QueryPromise<TResult> {
  static override readonly [entityKind]: string = 'CrateRelationalQueryV2';

  declare readonly _: { readonly dialect: 'pg'; readonly result: TResult };

  constructor(
    private readonly context: QueryContext,
    private readonly config: object,
    private readonly mode: 'many' | 'first',
  ) {
    super();
  }

  /** @internal used by `db.batch()` */
  _prepare(name?: string): CrateRelationalPreparedQuery<TResult> {
    const { relations, tableConfig, dialect, session, options } = this.context;
    const plan = planRelationalQuery(relations, tableConfig, this.config, options);
    const root = compileNode(plan, (node) => {
      const query = dialect.sqlToQuery(node.statement);
      const prepared = session.prepareQuery(query, 'arrays', name ?? false);
      return { query, run: (placeholders) => prepared.execute(placeholders) as Promise<unknown[][]> };
    });
    return new CrateRelationalPreparedQuery(root, this.mode, options);
  }

  prepare(name: string): CrateRelationalPreparedQuery<TResult> {
    return this._prepare(name);
  }

  /** The first statement (the root table's); the statements of relations follow from the keys it returns. */
  toSQL(): Query {
    return this._prepare().root.query;
  }

  /** @internal Every statement the query runs, root first, depth first, with the parent keys as placeholders. */
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
    const { relations, tableConfig, options } = this.context;
    return planRelationalQuery(relations, tableConfig, this.config, options).statement;
  }

  override execute(placeholders?: Record<string, unknown>): Promise<TResult> {
    return this._prepare().execute(placeholders);
  }
}

export class CrateRelationalPreparedQuery<TResult> {
  static readonly [entityKind]: string = 'CrateRelationalPreparedQueryV2';

  constructor(
    /** @internal */
    readonly root: CompiledNode,
    private readonly mode: 'many' | 'first',
    private readonly options: LoadOptions,
  ) {}

  async execute(placeholderValues: Record<string, unknown> = {}): Promise<TResult> {
    const rows = await loadRelational(this.root, placeholderValues, this.options);
    return (this.mode === 'first' ? rows[0] : rows) as TResult;
  }

  getQuery(): Query {
    return this.root.query;
  }
}
