import { entityKind, type HasDefault } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { randomUuid } from '../../../columns/uuid.js';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

/** `string uuid` is pg-core's data type for UUID, so v1's validators check the form as they do for pg. */
export class CrateUuidBuilder extends CrateColumnBuilder<{ dataType: 'string uuid'; data: string; driverParam: string }> {
  static override readonly [entityKind]: string = 'CrateUuidBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'UUID'>;

  constructor(name: string) {
    super(name, 'string uuid', 'CrateUuid');
  }

  /**
   * A random v4 UUID (`crypto.randomUUID()`) for each inserted row that gives none. It is made on the client
   * because CrateDB has no function returning a UUID, so no DEFAULT could; the kit sees no DEFAULT clause.
   */
  defaultRandom(): HasDefault<this> {
    return this.$defaultFn(randomUuid as never);
  }

  protected elementShape(_table: PgTable): ColumnShape {
    return scalarShape('UUID', { kind: 'uuid' });
  }
}

/**
 * `UUID` (CrateDB 6.2 and later): a string of the form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. Any other text is
 * refused before sending, since CrateDB would parse it leniently and could store a different UUID.
 */
export function uuid(name?: string): CrateUuidBuilder {
  return new CrateUuidBuilder(name ?? '');
}
