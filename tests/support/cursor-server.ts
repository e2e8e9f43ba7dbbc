/**
 * A protocol-server handler that keeps cursors the way CrateDB does: per TCP connection. `DECLARE <name> ... FOR`
 * the query registers a cursor over `rows` on the request's connection; `FETCH n FROM <name>` answers the next rows
 * from the cursor of that same connection, or CrateDB's 4000 "No cursor named" error on any other; `CLOSE <name>`
 * drops it. Everything else is answered by `fallback`.
 */
import { replies, type Handler, type Reply } from './protocol-server.js';

export interface CursorTable {
  cols: string[];
  colTypes: unknown[];
  rows: unknown[][];
}

export interface CursorServerState {
  handler: Handler;
  /** Open cursors, by connection id and name. */
  open: Map<number, Map<string, { position: number }>>;
  /** `FETCH` answers are replaced by this reply when it returns one (to cut the connection after n batches, ...). */
  onFetch?: (fetchIndex: number) => Reply | undefined;
}

export function cursorHandler(table: CursorTable, fallback: Handler = () => replies.rowCount(1)): CursorServerState {
  const open = new Map<number, Map<string, { position: number }>>();
  let fetches = 0;
  const state: CursorServerState = {
    open,
    handler: (request) => {
      const stmt = request.stmt ?? '';
      const declared = /^DECLARE ("[^"]+") NO SCROLL CURSOR WITH HOLD FOR /.exec(stmt);
      if (declared) {
        const cursors = open.get(request.connectionId) ?? new Map();
        open.set(request.connectionId, cursors);
        cursors.set(declared[1]!, { position: 0 });
        return { json: { cols: [], col_types: [], rows: [[]], rowcount: 0, duration: 1 } };
      }
      const fetched = /^FETCH (\d+) FROM ("[^"]+")$/.exec(stmt);
      if (fetched) {
        const scripted = state.onFetch?.(fetches++);
        if (scripted) return scripted;
        const cursor = open.get(request.connectionId)?.get(fetched[2]!);
        if (!cursor) return replies.error(4000, `SQLParseException[No cursor named \`${fetched[2]!.slice(1, -1)}\` available]`);
        const rows = table.rows.slice(cursor.position, cursor.position + Number(fetched[1]));
        cursor.position += rows.length;
        return replies.rows(table.cols, table.colTypes, rows);
      }
      const closed = /^CLOSE ("[^"]+")$/.exec(stmt);
      if (closed) {
        if (!open.get(request.connectionId)?.delete(closed[1]!)) {
          return replies.error(4000, `SQLParseException[No cursor named \`${closed[1]!.slice(1, -1)}\` available]`);
        }
        return { json: { cols: [], col_types: [], rows: [[]], rowcount: 1, duration: 1 } };
      }
      return fallback(request);
    },
  };
  return state;
}
