import { entityKind, sql, type SQL } from 'drizzle-orm';
import type { TimestampMode } from '../../../columns/values.js';
import { nameAndConfig, timestampArgs, timestampTypeName } from '../../../columns/builder-args.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

type TimestampConfig<TMode extends TimestampMode> = TMode extends 'string'
  ? { dataType: 'string timestamp'; data: string; driverParam: number | string }
  : TMode extends 'number'
    ? { dataType: 'number int53'; data: number; driverParam: number | string }
    : { dataType: 'object date'; data: Date; driverParam: number | string };

interface TimestampRuntime {
  withTimezone: boolean;
  mode: TimestampMode;
}

/**
 * `TIMESTAMP WITH[OUT] TIME ZONE`. CrateDB stores milliseconds and sends epoch milliseconds; the transport already
 * turns top-level timestamps into `Date`s, values nested in objects arrive as numbers. Both are narrowed to the mode.
 * Without a time zone the value is a wall-clock time that CrateDB treats as UTC, so string mode omits the `Z`.
 */
export class CrateTimestampBuilder<TMode extends TimestampMode = TimestampMode> extends CrateColumnBuilder<TimestampConfig<TMode>, TimestampRuntime> {
  static override readonly [entityKind]: string = 'CrateTimestampBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'TIMESTAMP WITH TIME ZONE' | 'TIMESTAMP WITHOUT TIME ZONE'>;

  constructor(name: string, config: TimestampRuntime) {
    super(name, config.mode === 'string' ? 'string timestamp' : config.mode === 'number' ? 'number int53' : 'object date', 'CrateTimestamp');
    Object.assign(this.config, config);
  }

  /** `DEFAULT now()`: the server's clock at insert, in milliseconds. */
  defaultNow(): ReturnType<this['default']> {
    return this.default(sql`now()` as SQL) as ReturnType<this['default']>;
  }

  protected elementShape(_table: PgTable): ColumnShape {
    const { withTimezone, mode } = this.config;
    return scalarShape(timestampTypeName(withTimezone), { kind: 'timestamp', mode, withTimezone });
  }
}

export interface TimestampOptions<TMode extends TimestampMode> {
  withTimezone?: boolean;
  mode?: TMode;
}

/** `TIMESTAMP WITHOUT TIME ZONE` (default) or `TIMESTAMP WITH TIME ZONE` (`{ withTimezone: true }`). */
export function timestamp<TMode extends TimestampMode = 'date'>(config?: TimestampOptions<TMode>): CrateTimestampBuilder<TMode>;
export function timestamp<TMode extends TimestampMode = 'date'>(name: string, config?: TimestampOptions<TMode>): CrateTimestampBuilder<TMode>;
export function timestamp(a?: string | TimestampOptions<TimestampMode>, b?: TimestampOptions<TimestampMode>): CrateTimestampBuilder {
  const [name, config] = nameAndConfig(a, b);
  return new CrateTimestampBuilder(name, timestampArgs(name, config));
}
