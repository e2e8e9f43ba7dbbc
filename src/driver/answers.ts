/**
 * Reading CrateDB's answers to `/_sql`: the JSON body, the error it reports, and what that error means for failover
 * (transient.ts). Shared by the query client and the cursor, so both read an answer the same way.
 */
import { parseJson } from './decode.js';
import { CrateDBError, bodyExcerpt, inStatement } from './errors.js';
import type { Outcome } from './failover.js';
import type { HttpResponse } from './http-exchange.js';
import { errorKindFor, failoverFor, mayFailOver, transientClusterError } from './transient.js';

/** A transient answer, kept to become the error if no retry succeeds. */
export interface SqlAnswer {
  server: string;
  response: HttpResponse;
}

/**
 * What an answer to `/_sql` means for failover. Only statuses the table lets fail over have their body parsed here:
 * a 200's body is read once, by the caller.
 */
export function sqlOutcome<T>(server: string, response: HttpResponse, value: T): Outcome<T, SqlAnswer> {
  if (!mayFailOver(response.status)) return { type: 'answer', value };
  const reported = serverError(response);
  const failover = failoverFor(response.status, reported.message);
  if (failover === 'unavailable') {
    const description = `HTTP ${response.status}${reported.code === undefined ? '' : ` ${reported.code}`}: ${reported.message}`;
    return { type: 'unavailable', description, details: { status: response.status, serverCode: reported.code, serverMessage: reported.message } };
  }
  if (failover === 'transient') return { type: 'transient', answer: { server, response } };
  return { type: 'answer', value };
}

/**
 * Why a transient answer failed, for the diagnostics channels: status, CrateDB's code and the exception's name, never
 * its message (a message may quote a value).
 */
export function describeTransientAnswer(answer: SqlAnswer): string {
  const reported = serverError(answer.response);
  const name = transientClusterError(reported.message) ?? 'transient cluster error';
  return `HTTP ${answer.response.status}${reported.code === undefined ? '' : ` ${reported.code}`}: ${name}`;
}

interface ErrorResponseBody {
  error?: { message?: unknown; code?: unknown };
  error_trace?: unknown;
}

export function parseBody(server: string, response: HttpResponse, statement: string | undefined, bigint: 'bigint' | 'string' = 'bigint'): object {
  let parsed: unknown;
  try {
    parsed = parseJson(response.body, bigint);
  } catch {
    throw badResponse(server, response, 'the body is not valid JSON', statement);
  }
  if (typeof parsed !== 'object' || parsed === null) throw badResponse(server, response, 'the body is not a JSON object', statement);
  return parsed;
}

export function badResponse(server: string, response: HttpResponse, problem: string, statement: string | undefined): CrateDBError {
  return new CrateDBError(
    `CrateDB at ${server} sent an unusable answer (HTTP ${response.status}, ${problem}): ${bodyExcerpt(response.body)}${inStatement(statement)}`,
    { kind: 'bad-response', status: response.status, statement },
  );
}

/** CrateDB's `{"error": {"message", "code"}}`, or for plain-text answers (401 from authentication) the text itself. */
export function serverError(response: HttpResponse): { code?: number; message: string; trace?: string; json: boolean } {
  try {
    const parsed = JSON.parse(response.body) as ErrorResponseBody;
    const { message, code } = parsed.error ?? {};
    if (typeof message === 'string') {
      return {
        message,
        json: true,
        ...(typeof code === 'number' && { code }),
        ...(typeof parsed.error_trace === 'string' && { trace: parsed.error_trace }),
      };
    }
  } catch {
    // not JSON: handled below
  }
  return { message: bodyExcerpt(response.body) || '(empty body)', json: false };
}

/**
 * A shard with no active copy: what a table without replicas answers once CrateDB dropped the node holding that shard
 * (measured on 6.4.3 with a node hung: `UnavailableShardsException[[doc.t] shard 3 is not available]`, code 5002, about
 * 30 s after the hang). No other node can serve it, and neither retries nor hedged reads help (docs/connecting.md,
 * "Hedged reads").
 */
function noReplicaHint(message: string): string {
  if (!/^(?:UnavailableShardsException|NoShardAvailableActionException)\[/.test(message)) return '';
  return '. No active copy of that shard is left: if the table has no replica (number_of_replicas = 0), a shard on a node that is down or hung cannot be read elsewhere until that node returns';
}

export function errorFromResponse(
  server: string,
  response: HttpResponse,
  statement: string | undefined,
  args: unknown[] | undefined,
  extra: { note?: string; outcomeUnknown?: boolean } = {},
): CrateDBError {
  const reported = serverError(response);
  const kind = errorKindFor(reported.code, response.status);
  // A plain-text 401/403/429 is still a clear answer; any other non-JSON error body is not CrateDB speaking.
  if (!reported.json && kind !== 'unauthorized' && kind !== 'forbidden' && kind !== 'service-unavailable') {
    return badResponse(server, response, 'not a CrateDB error', statement);
  }
  const label = reported.code === undefined ? `HTTP ${response.status}` : `${reported.code}`;
  const unknown = extra.outcomeUnknown
    ? '. A node of the cluster failed while the statement ran, so it may or may not have been applied; it was not retried because it is not idempotent'
    : '';
  return new CrateDBError(`CrateDB error ${label} (${kind}): ${reported.message}${extra.note ?? ''}${noReplicaHint(reported.message)}${unknown}${inStatement(statement)}`, {
    kind,
    serverCode: reported.code,
    status: response.status,
    serverMessage: reported.message,
    errorTrace: reported.trace,
    statement,
    args,
    outcomeUnknown: extra.outcomeUnknown,
  });
}
