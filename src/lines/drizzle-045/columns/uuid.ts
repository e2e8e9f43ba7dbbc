import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig, type HasDefault } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { randomUuid } from '../../../columns/uuid.js';
import { CrateColumnBuilder, CrateScalar, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

export type CrateUuidBuilderInitial<TName extends string> = CrateUuidBuilder<{
  name: TName;
  dataType: 'string';
  columnType: 'CrateUuid';
  data: string;
  driverParam: string;
  enumValues: undefined;
}>;

export class CrateUuidBuilder<T extends ColumnBuilderBaseConfig<'string', 'CrateUuid'>> extends CrateColumnBuilder<T> {
  static override readonly [entityKind]: string = 'CrateUuidBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'UUID'>;

  constructor(name: T['name']) {
    super(name, 'string', 'CrateUuid');
  }

  /**
   * A random v4 UUID (`crypto.randomUUID()`) for each inserted row that gives none. It is made on the client
   * because CrateDB has no function returning a UUID, so no DEFAULT could; the kit sees no DEFAULT clause.
   */
  defaultRandom(): HasDefault<this> {
    return this.$defaultFn(randomUuid as never);
  }

  /** @internal */
  build(table: AnyPgTable): CrateUuid<ColumnBaseConfig<'string', 'CrateUuid'>> {
    return new CrateUuid(table, this.config as never, scalarShape('UUID', { kind: 'uuid' }));
  }
}

/** A `UUID` column: values are 8-4-4-4-12 hex strings, read back lowercase. */
export class CrateUuid<T extends ColumnBaseConfig<'string', 'CrateUuid'>> extends CrateScalar<T> {
  static override readonly [entityKind]: string = 'CrateUuid';
}

/**
 * `UUID` (CrateDB 6.2 and later): a string of the form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. Any other text is
 * refused before sending, since CrateDB would parse it leniently and could store a different UUID.
 */
export function uuid(): CrateUuidBuilderInitial<''>;
export function uuid<TName extends string>(name: TName): CrateUuidBuilderInitial<TName>;
export function uuid(name = ''): CrateUuidBuilderInitial<any> {
  return new CrateUuidBuilder(name);
}
