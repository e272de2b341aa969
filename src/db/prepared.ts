import type { Compilable, CompiledQuery, Kysely, QueryResult } from "kysely";
import { StatementSqliteAdapter } from "./statement-cache.js";

/**
 * A kysely query built and compiled once, then run many times with new arguments. The result is
 * the value itself where the statement ran synchronously (SQLite, in a transaction), else a promise.
 *
 * Building a query and compiling it to SQL costs more than SQLite takes to run a small insert; on
 * the points hot path that was most of the time per event. Here the builder runs once per dialect
 * with placeholder objects where the arguments go; the compiled SQL is kept, and each call only
 * swaps the placeholders in the parameter list for the real values. With the statement cache in
 * `statement-cache.ts`, SQLite then also reuses the prepared statement, and inside a transaction
 * runs it without kysely's async executor around it (see `StatementSqliteAdapter`).
 *
 * The query stays written (and type-checked) in kysely; only its compilation is memoised. The
 * arguments must be plain values that kysely would bind as parameters — not identifiers, not
 * lists whose length changes the SQL — and each must be read by name (`a.key`): the placeholder
 * object has no keys to spread, so write `values({ key: a.key, … })`, not `values(a)`.
 *
 * @example
 * const byKey = prepared((db: Kysely<Database>, a: { key: string }) =>
 *   db.selectFrom("ledger").select("key").where("key", "=", a.key));
 * const rows = (await byKey(trx, { key: "discord:msg:1" })).rows;
 */
export function prepared<DB, A extends object, R>(build: (db: Kysely<DB>, args: A) => Compilable<R>) {
  const compiledByAdapter = new Map<unknown, { compiled: CompiledQuery<R>; slots: (keyof A | undefined)[] }>();

  // Not an async function: on SQLite inside a transaction the result is returned as it is, so the
  // points path's five or so statements per event spend no promise (and no microtask) each. Callers
  // `await` it either way.
  return (db: Kysely<DB>, args: A): QueryResult<R> | Promise<QueryResult<R>> => {
    const executor = db.getExecutor();
    const adapter = executor.adapter.constructor;
    let entry = compiledByAdapter.get(adapter);
    if (!entry) {
      const placeholders = new Map<object, keyof A>();
      const proxy = new Proxy({} as A, {
        get(_target, name) {
          const marker = { placeholder: name };
          placeholders.set(marker, name as keyof A);
          return marker;
        },
      });
      const compiled = build(db, proxy).compile();
      entry = { compiled, slots: compiled.parameters.map((p) => (typeof p === "object" && p !== null ? placeholders.get(p) : undefined)) };
      if (compiled.parameters.length === 0 && placeholders.size > 0) throw new Error("prepared(): arguments were read but none became parameters");
      if (entry.slots.some((slot, i) => slot === undefined && typeof compiled.parameters[i] === "object" && compiled.parameters[i] !== null)) {
        throw new Error("prepared(): an argument was used in a way kysely does not bind as a parameter");
      }
      compiledByAdapter.set(adapter, entry);
    }
    const { compiled, slots } = entry;
    // A plain loop: this runs for every statement of every event.
    const parameters: unknown[] = new Array(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      parameters[i] = slot === undefined ? compiled.parameters[i] : (args as Record<keyof A, unknown>)[slot];
    }
    if (db.isTransaction && executor.adapter instanceof StatementSqliteAdapter) {
      // The transaction holds SQLite's only connection: run the cached statement directly.
      const statement = executor.adapter.statements.prepare(compiled.sql);
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes } = statement.run(parameters);
      return { rows: [], numAffectedRows: BigInt(changes) };
    }
    return db.executeQuery<R>({ ...compiled, parameters });
  };
}

/**
 * What an event handler returns for a `prepared` statement it ran: the promise if the statement is
 * still running, else nothing to wait for (it ran already).
 */
export function pending<T>(result: T | Promise<T>): Promise<T> | undefined {
  return result instanceof Promise ? result : undefined;
}

/** A value now or later: what a {@link prepared} statement gives (now on SQLite in a transaction). */
export type Maybe<T> = T | Promise<T>;

/**
 * `f` of `value`: at once if it is here, else once it arrives. Lets a function around a prepared
 * statement stay synchronous where the statement was, instead of costing an async frame and a
 * promise per call on the points path. `f` should be a function defined once (not a closure made
 * per call), or the saving is spent again. (Not called `then`: a module exporting `then` is a
 * thenable, and `import()` of it would call it.)
 */
export function andThen<T, U>(value: Maybe<T>, f: (value: T) => U): Maybe<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

// Mappers for `andThen` over a prepared statement's result, each defined once.

/** Whether the statement changed a row (an insert that was not a duplicate, an update that matched). */
export const rowsChanged = (r: { numAffectedRows?: bigint | undefined }): boolean => Number(r.numAffectedRows ?? 0) > 0;
/** The first row the statement read, if any. */
export const firstRow = <R>(r: { rows: R[] }): R | undefined => r.rows[0];
/** Every row the statement read (or returned). */
export const allRows = <R>(r: { rows: R[] }): R[] => r.rows;
/** Nothing: the statement ran, and its result is not needed. */
export const noResult = (): void => undefined;
