/**
 * CrateDB's column types: how their names are written, and which column clauses each allows. This is the one place
 * that knows, e.g., that a GEO_POINT cannot be a key or that only TEXT takes a full-text index; the column builders
 * of both Drizzle lines, the schema rules, the kit and the validators all ask here.
 */
import type { ColumnType } from './definition.js';

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

/** How `pull` writes a column of a type in a schema file: `builder(name, { ...options, ...parameters })`. */
export interface PullSpelling {
  /** The builder function, as both lines' entries export it. */
  readonly builder: string;
  /** Option names for the numbers in the type's parentheses, in order: `NUMERIC(10, 2)` → precision, scale. */
  readonly parameters?: readonly string[];
  /** Options every column of the type gets: TIMESTAMP WITH TIME ZONE is `timestamp({ withTimezone: true })`. */
  readonly options?: Readonly<Record<string, string | number | boolean>>;
}

/** A row of the type table. */
export interface TypeRow {
  readonly allows: TypeCapabilities;
  /** Undefined for a type no builder makes yet: pull refuses its tables. */
  readonly pull: PullSpelling | undefined;
}

// `as const` throughout: the builders' type-level capabilities (capabilities.ts) are read from these literals.
const NONE = { indexOff: false, columnstore: false, fulltext: false, geoIndex: false, key: false, default: false, partition: false } as const;
const PRIMITIVE = { ...NONE, indexOff: true, key: true, default: true, partition: true } as const;
const STORED_COLUMNAR = { ...PRIMITIVE, columnstore: true } as const;

/**
 * The type table: CrateDB's scalar types by the name CREATE TABLE gives them without parameters. A new column type
 * is a row here (what it allows, how pull writes it), its value spec and codec in values.ts, and a builder per line.
 */
export const COLUMN_TYPES = {
  TEXT: { allows: { ...STORED_COLUMNAR, fulltext: true }, pull: { builder: 'text' } },
  // CrateDB analyzes only TEXT of unbounded length: VARCHAR(n) and CHARACTER(n) take no full-text index.
  VARCHAR: { allows: STORED_COLUMNAR, pull: { builder: 'varchar', parameters: ['length'] } },
  CHARACTER: { allows: STORED_COLUMNAR, pull: { builder: 'char', parameters: ['length'] } },
  BOOLEAN: { allows: PRIMITIVE, pull: { builder: 'boolean' } },
  BYTE: { allows: STORED_COLUMNAR, pull: { builder: 'byte' } },
  SMALLINT: { allows: STORED_COLUMNAR, pull: { builder: 'smallint' } },
  INTEGER: { allows: STORED_COLUMNAR, pull: { builder: 'integer' } },
  BIGINT: { allows: STORED_COLUMNAR, pull: { builder: 'bigint' } },
  REAL: { allows: STORED_COLUMNAR, pull: { builder: 'real' } },
  'DOUBLE PRECISION': { allows: STORED_COLUMNAR, pull: { builder: 'doublePrecision' } },
  NUMERIC: { allows: STORED_COLUMNAR, pull: { builder: 'numeric', parameters: ['precision', 'scale'] } },
  'TIMESTAMP WITH TIME ZONE': { allows: STORED_COLUMNAR, pull: { builder: 'timestamp', options: { withTimezone: true } } },
  'TIMESTAMP WITHOUT TIME ZONE': { allows: STORED_COLUMNAR, pull: { builder: 'timestamp' } },
  IP: { allows: PRIMITIVE, pull: { builder: 'ip' } },
  BIT: { allows: PRIMITIVE, pull: { builder: 'bit', parameters: ['length'] } },
  GEO_POINT: { allows: { ...NONE, default: true }, pull: { builder: 'geoPoint' } },
  GEO_SHAPE: { allows: { ...NONE, default: true, geoIndex: true }, pull: { builder: 'geoShape' } },
  FLOAT_VECTOR: { allows: { ...NONE, indexOff: true, default: true }, pull: { builder: 'floatVector', parameters: ['dimensions'] } },
  // A primary key and CLUSTERED BY column, but not a partition column ("Cannot use column p of type uuid in PARTITIONED BY").
  UUID: { allows: { ...STORED_COLUMNAR, partition: false }, pull: { builder: 'uuid' } },
} as const satisfies Readonly<Record<string, TypeRow>>;

/** The scalar types, by the name CREATE TABLE gives them without parameters. */
export type ScalarFamily = keyof typeof COLUMN_TYPES;

/** What an OBJECT column allows: no index or storage clause, no key, no default. */
export const OBJECT_ALLOWS = NONE;

/** Types introspection may meet that no builder makes: allowed everything, so nothing valid is refused. */
const UNKNOWN: TypeCapabilities = { ...STORED_COLUMNAR, fulltext: true, geoIndex: true };

/** What a column of this type allows. Arrays take their element's index and storage clauses, and are never keys. */
export function capabilitiesOf(type: ColumnType): TypeCapabilities {
  switch (type.kind) {
    case 'object':
      return OBJECT_ALLOWS;
    case 'array': {
      const element = capabilitiesOf(type.element);
      return { ...element, geoIndex: false, key: false, partition: false, default: true };
    }
    case 'scalar': {
      const family = scalarFamily(type.name);
      return family === undefined ? UNKNOWN : COLUMN_TYPES[family].allows;
    }
  }
}

/** `VARCHAR(10)` → `VARCHAR`; undefined for a type this package does not model. */
export function scalarFamily(name: string): ScalarFamily | undefined {
  const base = canonicalTypeName(name).replace(/\(.*$/, '');
  return Object.hasOwn(COLUMN_TYPES, base) ? (base as ScalarFamily) : undefined;
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
