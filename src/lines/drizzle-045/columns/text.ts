import { entityKind, sql, type ColumnBaseConfig, type ColumnBuilderBaseConfig, type HasDefault } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { positiveLength, textTypeName, type TextKind } from '../../../columns/builder-args.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

interface TextRuntime {
  kind: TextKind;
  length: number | undefined;
}

type StringConfig<TName extends string, TColumnType extends string> = BuilderInitial<TName, 'string', TColumnType, string>;
export type CrateTextBuilderInitial<TName extends string> = CrateTextBuilder<StringConfig<TName, 'CrateText'>>;
export type CrateStringBuilderInitial<TName extends string, TColumnType extends string> = CrateStringBuilder<StringConfig<TName, TColumnType>>;

/** VARCHAR(n) and CHARACTER(n); TEXT adds full-text indexing and `defaultRandom()`. */
export class CrateStringBuilder<T extends ColumnBuilderBaseConfig<'string', string>> extends CrateColumnBuilder<T, TextRuntime> {
  static override readonly [entityKind]: string = 'CrateStringBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'VARCHAR' | 'CHARACTER'>;

  constructor(name: T['name'], columnType: T['columnType'], kind: TextKind, length: number | undefined) {
    super(name, 'string', columnType);
    this.config.kind = kind;
    this.config.length = length;
  }

  /** @internal */
  build(table: AnyPgTable): CrateText<ColumnBaseConfig<'string', string>> {
    return new CrateText(table, this.config as never, scalarShape(textTypeName(this.config.kind, this.config.length), { kind: 'text', maxLength: this.config.length }));
  }
}

export class CrateTextBuilder<T extends ColumnBuilderBaseConfig<'string', string>> extends CrateStringBuilder<T> {
  static override readonly [entityKind]: string = 'CrateTextBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'TEXT'>;

  /** `DEFAULT gen_random_text_uuid()`: CrateDB fills in a random, time-based id on insert. */
  defaultRandom(): HasDefault<this> {
    return this.default(sql`gen_random_text_uuid()`) as HasDefault<this>;
  }
}

export class CrateText<T extends ColumnBaseConfig<'string', string>> extends CrateColumn<T, TextRuntime> {
  static override readonly [entityKind]: string = 'CrateText';
}

/** `TEXT`: a string of any length. */
export function text(): CrateTextBuilderInitial<''>;
export function text<TName extends string>(name: TName): CrateTextBuilderInitial<TName>;
export function text(name = ''): CrateTextBuilderInitial<any> {
  return new CrateTextBuilder(name, 'CrateText', 'text', undefined);
}

/** `VARCHAR(n)`: CrateDB rejects longer strings on insert (trailing spaces are trimmed to fit). */
export function varchar(config: { length: number }): CrateStringBuilderInitial<'', 'CrateVarchar'>;
export function varchar<TName extends string>(name: TName, config: { length: number }): CrateStringBuilderInitial<TName, 'CrateVarchar'>;
export function varchar(a: string | { length: number }, b?: { length: number }): CrateStringBuilderInitial<any, 'CrateVarchar'> {
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  return new CrateStringBuilder(name, 'CrateVarchar', 'varchar', positiveLength('varchar', name, config?.length));
}

/** `CHARACTER(n)`: fixed length, blank padded. */
export function char(config: { length: number }): CrateStringBuilderInitial<'', 'CrateChar'>;
export function char<TName extends string>(name: TName, config: { length: number }): CrateStringBuilderInitial<TName, 'CrateChar'>;
export function char(a: string | { length: number }, b?: { length: number }): CrateStringBuilderInitial<any, 'CrateChar'> {
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  return new CrateStringBuilder(name, 'CrateChar', 'char', positiveLength('char', name, config?.length));
}
