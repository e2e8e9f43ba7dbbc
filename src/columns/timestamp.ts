import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig, type HasDefault } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, nowSql, type CrateColumnCapabilities } from './common.js';

const CAPABILITIES: CrateColumnCapabilities = { indexOff: true, columnstore: true, fulltext: false, primaryKey: true, default: true };

export type TimestampMode = 'date' | 'string' | 'number';

interface TimestampRuntime {
  withTimezone: boolean;
  mode: TimestampMode;
}

type TimestampData<TMode extends TimestampMode> = TMode extends 'string' ? string : TMode extends 'number' ? number : Date;

export type CrateTimestampBuilderInitial<TName extends string, TMode extends TimestampMode> = CrateTimestampBuilder<{
  name: TName;
  dataType: TMode extends 'string' ? 'string' : TMode extends 'number' ? 'number' : 'date';
  columnType: 'CrateTimestamp';
  data: TimestampData<TMode>;
  driverParam: number | string;
  enumValues: undefined;
}>;

export class CrateTimestampBuilder<T extends ColumnBuilderBaseConfig<'date' | 'string' | 'number', 'CrateTimestamp'>> extends CrateColumnBuilder<
  T,
  TimestampRuntime
> {
  static override readonly [entityKind]: string = 'CrateTimestampBuilder';
  declare readonly [crateCapabilities]: { readonly indexOff: true; readonly columnstore: true };

  constructor(name: T['name'], config: TimestampRuntime) {
    const dataType = config.mode === 'date' ? 'date' : config.mode;
    super(name, dataType as T['dataType'], 'CrateTimestamp');
    Object.assign(this.config, config);
  }

  protected override get capabilities(): CrateColumnCapabilities {
    return CAPABILITIES;
  }

  /** `DEFAULT now()`: the server's clock at insert, in milliseconds. */
  defaultNow(): HasDefault<this> {
    return this.default(nowSql()) as HasDefault<this>;
  }

  /** @internal */
  build(table: AnyPgTable): CrateTimestamp<ColumnBaseConfig<'date' | 'string' | 'number', 'CrateTimestamp'>> {
    return new CrateTimestamp(table, this.config);
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

  getSQLType(): string {
    return this.withTimezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP WITHOUT TIME ZONE';
  }

  override get mapsIdentically(): boolean {
    return false;
  }

  override mapFromDriverValue(value: unknown): T['data'] {
    const millis = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
    switch (this.mode) {
      case 'number':
        return millis as T['data'];
      case 'string': {
        const iso = new Date(millis).toISOString();
        return (this.withTimezone ? iso : iso.slice(0, -1)) as T['data'];
      }
      default:
        return (value instanceof Date ? value : new Date(millis)) as T['data'];
    }
  }

  override mapToDriverValue(value: unknown): number | string {
    if (value instanceof Date) {
      const millis = value.getTime();
      if (Number.isNaN(millis)) throw new RangeError(`${this.describe()}: got an invalid Date`);
      return millis;
    }
    if (typeof value === 'number' || typeof value === 'string') return value;
    throw new TypeError(`${this.describe()}: expected a Date, an ISO string or epoch milliseconds, got ${typeof value}`);
  }
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
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  return new CrateTimestampBuilder(name, { withTimezone: config?.withTimezone ?? false, mode: config?.mode ?? 'date' });
}
