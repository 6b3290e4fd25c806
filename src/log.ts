/**
 * Structured logging: one JSON object per line (readable with `wrangler tail --format json`).
 * Fields: level, event (dot.case), requestId, sessionId (a short hash, never the ID),
 * tool, durationMs, outcome, code. Never tokens, secrets, passwords or tool arguments.
 */

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Fields a log line may carry. Values are primitives only, so nothing nested slips through. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** A logger bound to request-scoped fields. */
export interface Logger {
  // Function-typed properties, not methods: they use no `this`, so they may be passed around unbound.
  readonly debug: (event: string, fields?: LogFields) => void;
  readonly info: (event: string, fields?: LogFields) => void;
  readonly warn: (event: string, fields?: LogFields) => void;
  readonly error: (event: string, fields?: LogFields) => void;
  /** A logger with extra bound fields. */
  readonly with: (fields: LogFields) => Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where lines go; replaceable in tests to capture every line. */
export const logSink: { write: (line: string, level: LogLevel) => void } = {
  write(line, level) {
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  },
};

/** Creates a logger; lines below `minLevel` are dropped. */
export function createLogger(bound: LogFields = {}, minLevel: LogLevel = "info"): Logger {
  const emit = (level: LogLevel, event: string, fields?: LogFields): void => {
    if (LEVELS[level] < LEVELS[minLevel]) return;
    const line: Record<string, unknown> = { ts: new Date().toISOString(), level, event };
    for (const [k, v] of Object.entries(bound)) if (v !== undefined) line[k] = v;
    if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) line[k] = v;
    logSink.write(JSON.stringify(line), level);
  };
  return {
    debug: (e, f) => emit("debug", e, f),
    info: (e, f) => emit("info", e, f),
    warn: (e, f) => emit("warn", e, f),
    error: (e, f) => emit("error", e, f),
    with: (fields) => createLogger({ ...bound, ...fields }, minLevel),
  };
}
