/** An input that cannot be classified at all: not JSON, not an object, or without `detail-type`/`detail`. */
export class EventParseError extends Error {
  override readonly name = 'EventParseError';
  /** Where the input came from, e.g. `events/task/oom.json` or `stdin:12`. */
  readonly origin: string;
  /** The JSON path of the offending field, e.g. `detail-type`; null when the whole input is unreadable. */
  readonly field: string | null;

  constructor(message: string, origin: string, field: string | null, options?: ErrorOptions) {
    super(`${origin}: ${message}`, options);
    this.origin = origin;
    this.field = field;
  }
}

/** A group write lost to concurrent writers more often than alerting retries it; failing lets Lambda retry the event. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}
