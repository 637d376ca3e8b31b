/** One JSON object per line, the shape CloudWatch Logs Insights queries best; `level` and `message` always first. */
export type LogLevel = 'info' | 'warn' | 'error';

export type LogWriter = (line: string) => void;

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return { errorName: error.name, errorMessage: error.message, ...(error.cause === undefined ? {} : { cause: errorFields(error.cause) }) };
}

/** A logger writing JSON lines; `error` fields that hold an Error are expanded to name, message and cause. */
export function createLogger(write: LogWriter = (line) => console.log(line)): Logger {
  const emit = (level: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    const { error, ...rest } = fields;
    write(JSON.stringify({ level, message, ...rest, ...(error === undefined ? {} : errorFields(error)) }));
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
