/**
 * The CrateDB side of a column, as the builders of both Drizzle lines record it. Drizzle's own column classes differ
 * between 0.45 and v1; what DDL, the query helpers and the validators need from a column is this, under `crate`.
 */
import type { SQL } from 'drizzle-orm';
import type { SchemaRule } from '../shared/errors.js';
import type { ColumnIndex, ObjectPolicy } from '../columns/definition.js';
import { codecFor, type ValueCodec, type ValueSpec, type Where } from '../columns/values.js';

export interface CrateCheck {
  readonly name: string | undefined;
  readonly expression: SQL;
}

/** A rule broken while the column was declared that its definition cannot show (e.g. `unique()` was called). */
export interface DeclarationProblem {
  readonly rule: SchemaRule;
  readonly message: string;
}

/** Clauses the builder methods set; shared by builder and built column. */
export interface CrateClauses {
  index: ColumnIndex | undefined;
  columnstore: boolean | undefined;
  checks: CrateCheck[];
  problems: DeclarationProblem[];
}

export function emptyClauses(): CrateClauses {
  return { index: undefined, columnstore: undefined, checks: [], problems: [] };
}

export type ColumnShape =
  | { readonly kind: 'scalar'; readonly typeName: string; readonly spec: ValueSpec }
  | { readonly kind: 'array'; readonly element: ColumnShape }
  | { readonly kind: 'object'; readonly policy: ObjectPolicy; readonly columns: Readonly<Record<string, CrateColumnLike>>; readonly isArray: boolean };

/** What a built column of either line carries under `crate`. */
export interface CrateColumnModel {
  readonly clauses: CrateClauses;
  readonly shape: ColumnShape;
  readonly spec: ValueSpec;
  readonly codec: ValueCodec;
}

/** The parts of a built Drizzle column (either line) that describing it needs. */
export interface CrateColumnLike {
  readonly name: string;
  readonly notNull: boolean;
  readonly primary: boolean;
  readonly default: unknown;
  readonly generated: { readonly as: unknown } | undefined;
  readonly crate: CrateColumnModel;
  mapToDriverValue(value: unknown): unknown;
}

export function isCrateColumn(value: unknown): value is CrateColumnLike {
  return typeof value === 'object' && value !== null && typeof (value as { crate?: { codec?: unknown } }).crate?.codec === 'object';
}

/** The value spec of a shape: containers are made of their members' specs. */
export function specOf(shape: ColumnShape): ValueSpec {
  switch (shape.kind) {
    case 'scalar':
      return shape.spec;
    case 'array':
      return { kind: 'array', element: specOf(shape.element) };
    case 'object': {
      const columns: Record<string, { name: string; spec: ValueSpec; required: boolean }> = {};
      for (const [key, column] of Object.entries(shape.columns)) {
        columns[key] = { name: column.name, spec: column.crate.spec, required: column.notNull && column.default === undefined };
      }
      const object: ValueSpec = { kind: 'object', policy: shape.policy, columns };
      return shape.isArray ? { kind: 'array', element: object } : object;
    }
  }
}

/** `shape` wrapped in `dimensions` arrays: `text().array('[][]')` is ARRAY(ARRAY(TEXT)). */
export function arrayOf(shape: ColumnShape, dimensions: number): ColumnShape {
  let result = shape;
  for (let i = 0; i < dimensions; i++) result = { kind: 'array', element: result };
  return result;
}

/**
 * What encodes one element of an array column, for binding a single value compared with its elements
 * (`arrayAny(t.tags, value)`): Drizzle's Param takes any object with `mapToDriverValue`.
 */
export function elementEncoder(column: CrateColumnLike): { mapToDriverValue(value: unknown): unknown } | undefined {
  const spec = column.crate.spec;
  if (spec.kind !== 'array') return undefined;
  const codec = codecFor(spec.element);
  const where: Where = () => `an element of column "${column.name}"`;
  return { mapToDriverValue: (value) => (value === null || value === undefined ? value : codec.encode(value, where)) };
}

/**
 * The object a column holds, looking through arrays: `objectArray()` on 0.45 is an object shape marked `isArray`,
 * on v1 an array of an object shape. `throughArray` says whether values come back as arrays of the objects.
 */
export function objectShapeOf(value: unknown): { shape: Extract<ColumnShape, { kind: 'object' }>; throughArray: boolean } | undefined {
  if (!isCrateColumn(value)) return undefined;
  let shape = value.crate.shape;
  let throughArray = false;
  while (shape.kind === 'array') {
    shape = shape.element;
    throughArray = true;
  }
  return shape.kind === 'object' ? { shape, throughArray: throughArray || shape.isArray } : undefined;
}

/** `column "users"."email"`: where a value belongs, for errors. */
export function columnWhere(tableName: () => string, columnName: () => string): Where {
  return () => `column "${tableName()}"."${columnName()}"`;
}
