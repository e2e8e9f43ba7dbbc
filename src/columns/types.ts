/**
 * CrateDB's column types: how their names are written, and which column clauses each allows. This is the one place
 * that knows, e.g., that a GEO_POINT cannot be a key or that only TEXT takes a full-text index; the column builders
 * of both Drizzle lines, the schema rules, the kit and the validators all ask here.
 */
import type { ColumnType } from './definition.js';

/** The scalar types, by the name CREATE TABLE gives them without parameters. */
export type ScalarFamily =
  | 'TEXT'
  | 'VARCHAR'
  | 'CHARACTER'
  | 'BOOLEAN'
  | 'BYTE'
  | 'SMALLINT'
  | 'INTEGER'
  | 'BIGINT'
  | 'REAL'
  | 'DOUBLE PRECISION'
  | 'NUMERIC'
  | 'TIMESTAMP WITH TIME ZONE'
  | 'TIMESTAMP WITHOUT TIME ZONE'
  | 'IP'
  | 'BIT'
  | 'GEO_POINT'
  | 'GEO_SHAPE'
  | 'FLOAT_VECTOR'
  | 'UUID';

/** Which optional clauses a column of a type may carry, and which roles it may play in a table. */
export interface TypeCapabilities {
  /** `INDEX OFF`. */
  readonly indexOff: boolean;
  /** `STORAGE WITH (columnstore = false)`. */
  readonly columnstore: boolean;
  /** `INDEX USING FULLTEXT`, and being a source of a named full-text index. */
  readonly fulltext: boolean;
  /** `INDEX USING geohash | quadtree | bkdtree`. */
  readonly geoIndex: boolean;
  /** Part of a PRIMARY KEY, CLUSTERED BY or PARTITIONED BY column: primitive types only. */
  readonly key: boolean;
  /** `DEFAULT`. */
  readonly default: boolean;
  /** A PARTITIONED BY column: the key types, but UUID (CrateDB 6.4 refuses it there). */
  readonly partition: boolean;
}

const NONE: TypeCapabilities = { indexOff: false, columnstore: false, fulltext: false, geoIndex: false, key: false, default: false, partition: false };
const PRIMITIVE: TypeCapabilities = { ...NONE, indexOff: true, key: true, default: true, partition: true };
const STORED_COLUMNAR: TypeCapabilities = { ...PRIMITIVE, columnstore: true };

const SCALARS: Readonly<Record<ScalarFamily, TypeCapabilities>> = {
  TEXT: { ...STORED_COLUMNAR, fulltext: true },
  // CrateDB analyzes only TEXT of unbounded length: VARCHAR(n) and CHARACTER(n) take no full-text index.
  VARCHAR: STORED_COLUMNAR,
  CHARACTER: STORED_COLUMNAR,
  BOOLEAN: PRIMITIVE,
  BYTE: STORED_COLUMNAR,
  SMALLINT: STORED_COLUMNAR,
  INTEGER: STORED_COLUMNAR,
  BIGINT: STORED_COLUMNAR,
  REAL: STORED_COLUMNAR,
  'DOUBLE PRECISION': STORED_COLUMNAR,
  NUMERIC: STORED_COLUMNAR,
  'TIMESTAMP WITH TIME ZONE': STORED_COLUMNAR,
  'TIMESTAMP WITHOUT TIME ZONE': STORED_COLUMNAR,
  IP: PRIMITIVE,
  BIT: PRIMITIVE,
  GEO_POINT: { ...NONE, default: true },
  GEO_SHAPE: { ...NONE, default: true, geoIndex: true },
  FLOAT_VECTOR: { ...NONE, indexOff: true, default: true },
  // A primary key and CLUSTERED BY column, but not a partition column ("Cannot use column p of type uuid in PARTITIONED BY").
  UUID: { ...STORED_COLUMNAR, partition: false },
};

/** Types introspection may meet that no builder makes: allowed everything, so nothing valid is refused. */
const UNKNOWN: TypeCapabilities = { ...STORED_COLUMNAR, fulltext: true, geoIndex: true };

/** What a column of this type allows. Arrays take their element's index and storage clauses, and are never keys. */
export function capabilitiesOf(type: ColumnType): TypeCapabilities {
  switch (type.kind) {
    case 'object':
      return NONE;
    case 'array': {
      const element = capabilitiesOf(type.element);
      return { ...element, geoIndex: false, key: false, partition: false, default: true };
    }
    case 'scalar': {
      const family = scalarFamily(type.name);
      return family === undefined ? UNKNOWN : SCALARS[family];
    }
  }
}

/** `VARCHAR(10)` → `VARCHAR`; undefined for a type this package does not model. */
export function scalarFamily(name: string): ScalarFamily | undefined {
  const base = canonicalTypeName(name).replace(/\(.*$/, '');
  return base in SCALARS ? (base as ScalarFamily) : undefined;
}

/** The numbers in a type's parentheses: `NUMERIC(10, 2)` → [10, 2]. */
export function typeParameters(name: string): number[] {
  const match = /\(([^)]*)\)\s*$/.exec(name);
  return match ? match[1]!.split(',').map((part) => Number(part.trim())) : [];
}


/** The scalar family of a column through arrays; undefined for objects. */
export function elementScalar(type: ColumnType): string | undefined {
  if (type.kind === 'scalar') return canonicalTypeName(type.name);
  if (type.kind === 'array') return elementScalar(type.element);
  return undefined;
}

const TYPE_ALIASES: Readonly<Record<string, string>> = {
  STRING: 'TEXT',
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INT8: 'BIGINT',
  LONG: 'BIGINT',
  SHORT: 'SMALLINT',
  INT2: 'SMALLINT',
  FLOAT: 'REAL',
  FLOAT4: 'REAL',
  DOUBLE: 'DOUBLE PRECISION',
  FLOAT8: 'DOUBLE PRECISION',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
  TIMESTAMP: 'TIMESTAMP WITHOUT TIME ZONE',
  'CHARACTER VARYING': 'TEXT',
  DECIMAL: 'NUMERIC',
};

/** Upper case, single spaces, aliases resolved: `varchar(10)` → `VARCHAR(10)`, `int` → `INTEGER`. */
export function canonicalTypeName(name: string): string {
  const upper = name.trim().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ', ').replace(/\s*\)/g, ')').toUpperCase();
  const match = /^([A-Z_ 0-9]+?)(\(.*\))?$/.exec(upper);
  if (!match) return upper;
  const base = TYPE_ALIASES[match[1]!] ?? match[1]!;
  if (base === 'CHARACTER VARYING' || (match[1] === 'CHARACTER VARYING' && match[2])) return `VARCHAR${match[2] ?? ''}`;
  if (base === 'CHAR') return `CHARACTER${match[2] ?? ''}`;
  if (base === 'VARCHAR' && !match[2]) return 'TEXT';
  return `${base}${match[2] ?? ''}`;
}
