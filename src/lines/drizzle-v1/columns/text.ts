import { entityKind, sql, type SQL } from 'drizzle-orm';
import { nameAndConfig, positiveLength, textTypeName, type TextKind } from '../../../columns/builder-args.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

interface TextRuntime {
  kind: TextKind;
  length: number | undefined;
}

type StringConfig = { dataType: 'string'; data: string; driverParam: string };

/** VARCHAR(n) and CHARACTER(n); TEXT adds full-text indexing and `defaultRandom()`. */
export class CrateStringBuilder<T extends StringConfig = StringConfig> extends CrateColumnBuilder<T, TextRuntime> {
  static override readonly [entityKind]: string = 'CrateStringBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'VARCHAR' | 'CHARACTER'>;

  constructor(name: string, columnType: string, kind: TextKind, length: number | undefined) {
    super(name, 'string', columnType);
    this.config.kind = kind;
    // v1's validators bound a string column by `length`; CHARACTER(n) pads shorter values, so n is a maximum too.
    this.config.length = length;
  }

  protected elementShape(_table: PgTable): ColumnShape {
    return scalarShape(textTypeName(this.config.kind, this.config.length), { kind: 'text', maxLength: this.config.length });
  }
}

export class CrateTextBuilder<T extends StringConfig = StringConfig> extends CrateStringBuilder<T> {
  static override readonly [entityKind]: string = 'CrateTextBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'TEXT'>;

  /** `DEFAULT gen_random_text_uuid()`: CrateDB fills in a random, time-based id on insert. */
  defaultRandom(): ReturnType<this['default']> {
    return this.default(sql`gen_random_text_uuid()` as SQL) as ReturnType<this['default']>;
  }
}

/** `TEXT`: a string of any length. */
export function text(name?: string): CrateTextBuilder {
  return new CrateTextBuilder(name ?? '', 'CrateText', 'text', undefined);
}

/** `VARCHAR(n)`: CrateDB rejects longer strings on insert (trailing spaces are trimmed to fit). */
export function varchar(config: { length: number }): CrateStringBuilder;
export function varchar(name: string, config: { length: number }): CrateStringBuilder;
export function varchar(a: string | { length: number }, b?: { length: number }): CrateStringBuilder {
  const [name, config] = nameAndConfig(a, b);
  return new CrateStringBuilder(name, 'CrateVarchar', 'varchar', positiveLength('varchar', name, config?.length));
}

/** `CHARACTER(n)`: fixed length, blank padded. */
export function char(config: { length: number }): CrateStringBuilder;
export function char(name: string, config: { length: number }): CrateStringBuilder;
export function char(a: string | { length: number }, b?: { length: number }): CrateStringBuilder {
  const [name, config] = nameAndConfig(a, b);
  return new CrateStringBuilder(name, 'CrateChar', 'char', positiveLength('char', name, config?.length));
}
