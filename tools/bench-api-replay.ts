import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';

/**
 * Capture and replay of the SQL the API issues, for `npm run bench:api`. The API process wraps pg's
 * `Client.prototype.query` (TypeORM goes through it for every statement, BEGIN/COMMIT and set_config included),
 * so the baseline replays what the API really ran for one request, whatever the read path does at the time.
 */
export interface Statement {
  text: string;
  /** Parameters as pg sends them (text), so they survive IPC and replay byte for byte. */
  values: (string | null)[];
  /** Which pooled connection ran it. */
  connection: number;
  start: number;
  end: number;
  /** Rows a write returned (ids the database generated that later statements may carry). */
  returned?: Record<string, unknown>[];
  /** Every id the statement's result held, to tell ids the API read from ids it generated. */
  resultIds?: string[];
}

/** Statements that ran on one connection back to back: a transaction, or one statement outside any. */
export type Unit = Statement[];
/**
 * Units that overlapped in time ran concurrently (DataLoader batches); waves run one after the other. `fresh`:
 * ids the API generated itself for rows it wrote (an outbox event's id), replaced by new ones on every replay.
 */
export interface Plan {
  waves: Unit[][];
  fresh: string[];
}

const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue(value: unknown): unknown;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const idsIn = (text: string) => text.match(UUIDS) ?? [];
const WRITE =
  /^\s*(INSERT|UPDATE|DELETE)\b|^\s*WITH\b[\s\S]*\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b/i;

const asText = (value: unknown): string | null => {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return null;
  return Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : String(prepared);
};

/**
 * Tallies every statement of the process by its text (cheap enough to leave on under load), and records them in
 * full between `start()` and `stop()`.
 */
export function installCapture() {
  const tally = new Map<string, number>();
  let total = 0;
  let recording: Statement[] | null = null;
  let seen = 0;
  const connections = new WeakMap<object, number>();
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof config === 'string' ? config : config.text;
    tally.set(text, (tally.get(text) ?? 0) + 1);
    total++;
    if (!recording) return original.apply(this, args);
    const params =
      (Array.isArray(values) ? values : typeof config === 'string' ? undefined : config.values) ?? [];
    if (!connections.has(this)) connections.set(this, ++seen);
    const entry: Statement = {
      text,
      values: params.map(asText),
      connection: connections.get(this) as number,
      start: performance.now(),
      end: Number.POSITIVE_INFINITY,
    };
    recording.push(entry);
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      result.then(
        (r: pg.QueryResult) => {
          entry.end = performance.now();
          if (!r.rows?.length) return;
          const json = JSON.stringify(r.rows);
          entry.resultIds = [...new Set(idsIn(json))];
          if (WRITE.test(text)) entry.returned = JSON.parse(json);
        },
        () => (entry.end = performance.now()),
      );
    }
    return result;
  } as typeof pg.Client.prototype.query;
  return {
    total: () => total,
    tally: () => Object.fromEntries(tally),
    start: () => void (recording = []),
    stop: () => {
      const statements = recording ?? [];
      recording = null;
      return statements;
    },
  };
}

/**
 * Groups a request's statements into connection units and the units into waves of overlapping ones, and finds
 * the ids the API generated: first seen in a write's parameters, never in the request, an earlier parameter or
 * an earlier result.
 */
export function planOf(statements: Statement[], variables: unknown = {}): Plan {
  const known = new Set(idsIn(JSON.stringify(variables)));
  const fresh = new Set<string>();
  for (const statement of statements) {
    for (const id of statement.values.flatMap((v) => (v === null ? [] : idsIn(v)))) {
      if (!known.has(id) && WRITE.test(statement.text)) fresh.add(id);
      known.add(id);
    }
    statement.resultIds?.forEach((id) => known.add(id));
  }
  const units: Unit[] = [];
  const open = new Map<number, Unit>();
  for (const statement of statements) {
    let unit = open.get(statement.connection);
    if (!unit) units.push((unit = []));
    unit.push(statement);
    if (/^\s*(BEGIN|START TRANSACTION)\b/i.test(statement.text)) open.set(statement.connection, unit);
    else if (/^\s*(COMMIT|ROLLBACK)\s*$/i.test(statement.text)) open.delete(statement.connection);
  }
  const waves: Unit[][] = [];
  let waveEnd = Number.NEGATIVE_INFINITY;
  for (const unit of units) {
    if (unit[0].start < waveEnd) waves[waves.length - 1].push(unit);
    else waves.push([unit]);
    waveEnd = Math.max(waveEnd, unit[unit.length - 1].end);
  }
  return { waves, fresh: [...fresh] };
}

/** Leaves of `captured` that differ in `actual` (the check-in id, the idempotency key…), to swap in replay. */
export function substitutions(
  captured: unknown,
  actual: unknown,
  into = new Map<string, string>(),
): Map<string, string> {
  if (typeof captured === 'string' && typeof actual === 'string') {
    if (captured !== actual) into.set(captured, actual);
  } else if (captured && actual && typeof captured === 'object' && typeof actual === 'object') {
    for (const [key, value] of Object.entries(captured))
      substitutions(value, (actual as Record<string, unknown>)[key], into);
  }
  return into;
}

const swap = (value: string | null, swaps: Map<string, string>) => {
  if (value === null || swaps.size === 0) return value;
  for (const [from, to] of swaps) value = value.replaceAll(from, to);
  return value;
};

/**
 * Runs the plan on `pool` and returns every row it read. Ids a write returned are swapped into later
 * statements, as the API would carry them forward; a failing transaction is rolled back.
 */
export async function replay(pool: pg.Pool, plan: Plan, swaps: Map<string, string>): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const id of plan.fresh) swaps.set(id, randomUUID());
  for (const wave of plan.waves) {
    await Promise.all(
      wave.map(async (unit) => {
        const client = await pool.connect();
        let inTransaction = false;
        try {
          for (const statement of unit) {
            const result = await client.query(
              statement.text,
              statement.values.map((v) => swap(v, swaps)),
            );
            inTransaction ||= /^\s*(BEGIN|START TRANSACTION)\b/i.test(statement.text);
            statement.returned?.forEach((row, i) => {
              for (const [column, value] of Object.entries(row)) {
                const now = result.rows[i]?.[column];
                if (typeof value === 'string' && UUID.test(value) && typeof now === 'string' && now !== value)
                  swaps.set(value, now);
              }
            });
            if (result.rows?.length) rows.push(result.rows);
          }
        } catch (error) {
          if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      }),
    );
  }
  return rows;
}

/** One line per statement, for the report: `conn 2  SELECT "c"."id" … FROM "check_ins" …`. */
export function describe(statements: Statement[], width = 130): string[] {
  return statements.map((s, i) => {
    const sql = s.text.replace(/\s+/g, ' ').trim();
    return `  ${String(i + 1).padStart(2)} conn ${s.connection}  ${sql.length > width ? `${sql.slice(0, width - 1)}…` : sql}`;
  });
}
