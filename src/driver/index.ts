/**
 * CrateDB HTTP driver: the transport under drizzle-cratedb, usable on its own (`drizzle-cratedb/driver`).
 */
export {
  CrateClient,
  UNREPORTED_BULK_ERROR,
  type BulkItemResult,
  type BulkResult,
  type RequestOptions,
  type ServerInfo,
  type SqlResult,
} from './client.js';
export { type CrateClientOptions, type ResolvedClientConfig, type ResolvedTlsConfig, type TlsOptions } from './config.js';
export { parseConnectionString } from './connection-url.js';
export { ColTypeId, type BigIntMode, type ColType } from './decode.js';
export { CrateConnectionError, CrateDBError, type CrateErrorKind, type ServerFailure } from './errors.js';
export { isReadOnlyStatement } from './retry.js';
export { BlobContainer, type BlobCallOptions, type BlobData, type BlobPutOptions, type BlobPutResult } from './blobs.js';
export { type CreateBlobTableOptions, type DropBlobTableOptions } from './blob-ddl.js';
