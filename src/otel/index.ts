/**
 * drizzle-cratedb/otel: OpenTelemetry spans and metrics for drizzle-cratedb, built on the driver's diagnostics channels
 * (src/driver/diagnostics.ts). `@opentelemetry/api` is an optional peer dependency: only this entry imports it.
 */
// First, so that an unsupported Node.js fails here with the version needed, as at every entry.
import '../shared/node-version.js';
export { CrateDBInstrumentation, INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION, type CrateDBInstrumentationConfig } from './instrumentation.js';
export { CHANNEL_NAMES, type CrateFailoverEvent, type CrateOperationKind, type CrateTraceContext } from '../driver/diagnostics.js';
