import { entityKind, sql, type ColumnBaseConfig, type ColumnBuilderBaseConfig, type HasDefault } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { TimestampMode } from '../../../columns/values.js';
import { nameAndConfig, timestampArgs, timestampTypeName } from '../../../columns/builder-args.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

export type { TimestampMode };

interface TimestampRuntime {
  withTimezone: boolean;
  mode: TimestampMode;
}

type TimestampData<TMode extends TimestampMode> = TMode extends 'string' ? string : TMode extends 'number' ? number : Date;

export type CrateTimestampBuilderInitial<TName extends string, TMode extends TimestampMode> = CrateTimestampBuilder<
  BuilderInitial<TName, TMode extends 'string' ? 'string' : TMode extends 'number' ? 'number' : 'date', 'CrateTimestamp', TimestampData<TMode>, number | string>
>;

export class CrateTimestampBuilder<T extends ColumnBuilderBaseConfig<'date' | 'string' | 'number', 'CrateTimestamp'>> extends CrateColumnBuilder<
  T,
  TimestampRuntime
> {
  static override readonly [entityKind]: string = 'CrateTimestampBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'TIMESTAMP WITH TIME ZONE' | 'TIMESTAMP WITHOUT TIME ZONE'>;

  constructor(name: T['name'], config: TimestampRuntime) {
    super(name, (config.mode === 'date' ? 'date' : config.mode) as T['dataType'], 'CrateTimestamp');
    Object.assign(this.config, config);
  }

  /** `DEFAULT now()`: the server's clock at insert, in milliseconds. */
  defaultNow(): HasDefault<this> {
    return this.default(sql`now()`) as HasDefault<this>;
  }

  /** @internal */
  build(table: AnyPgTable): CrateTimestamp<ColumnBaseConfig<'date' | 'string' | 'number', 'CrateTimestamp'>> {
    const { withTimezone, mode } = this.config;
    return new CrateTimestamp(table, this.config as never, scalarShape(timestampTypeName(withTimezone), { kind: 'timestamp', mode, withTimezone }));
  }
}

/**
 * `TIMESTAMP WITH[OUT] TIME ZONE`. CrateDB stores milliseconds and sends epoch milliseconds; the transport already
 * turns top-level timestamps into `Date`s, values nested in objects arrive as numbers. Both are narrowed to the mode.
 * Without a time zone the value is a wall-clock time that CrateDB treats as UTC, so string mode omits the `Z`.
 */
export class CrateTimestamp<T extends ColumnBaseConfig<'date' | 'string' | 'number', 'CrateTimestamp'>> extends CrateColumn<
  T,
  TimestampRuntime
> {
  static override readonly [entityKind]: string = 'CrateTimestamp';

  readonly withTimezone = this.config.withTimezone;
  readonly mode = this.config.mode;
}

export interface TimestampConfig<TMode extends TimestampMode> {
  withTimezone?: boolean;
  mode?: TMode;
}

/** `TIMESTAMP WITHOUT TIME ZONE` (default) or `TIMESTAMP WITH TIME ZONE` (`{ withTimezone: true }`). */
export function timestamp<TMode extends TimestampMode = 'date'>(config?: TimestampConfig<TMode>): CrateTimestampBuilderInitial<'', TMode>;
export function timestamp<TName extends string, TMode extends TimestampMode = 'date'>(
  name: TName,
  config?: TimestampConfig<TMode>,
): CrateTimestampBuilderInitial<TName, TMode>;
export function timestamp(
  a?: string | TimestampConfig<TimestampMode>,
  b?: TimestampConfig<TimestampMode>,
): CrateTimestampBuilderInitial<any, TimestampMode> {
  const [name, config] = nameAndConfig(a, b);
  return new CrateTimestampBuilder(name, timestampArgs(name, config));
}
