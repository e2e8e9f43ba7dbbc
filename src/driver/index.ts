/**
 * CrateDB HTTP driver: the transport under drizzle-cratedb, usable on its own (`drizzle-cratedb/driver`).
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../shared/node-version.js';
export {
  CrateClient,
  UNREPORTED_BULK_ERROR,
  type BulkItemResult,
  type BulkResult,
  type RequestOptions,
  type ServerInfo,
  type SqlResult,
} from './client.js';
export { CrateCursorError, DEFAULT_CURSOR_BATCH_SIZE, type CursorBatch, type CursorOptions } from './cursor-api.js';
export { type CrateClientOptions, type ResolvedClientConfig, type ResolvedTlsConfig, type TlsOptions } from './config.js';
export { parseConnectionString } from './connection-url.js';
export { ColTypeId, type BigIntMode, type ColType } from './decode.js';
export { CrateConnectionError, CrateDBError, type CrateErrorKind, type ServerFailure } from './errors.js';
export { isReadOnlyStatement } from './retry.js';
export type { HedgeEvent, HedgeOptions, HedgeStats, ResolvedHedgeConfig } from './hedge.js';
export type { BlobContainer, BlobCallOptions, BlobData, BlobPutOptions, BlobPutResult } from './blobs.js';
export { type CreateBlobTableOptions, type DropBlobTableOptions } from './blob-ddl.js';
