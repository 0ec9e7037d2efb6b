/**
 * What one client may hold of the dashboard, and for how long. Without these a connection that never
 * sends a byte stayed open for ever (thousands of them exhausted the file descriptors), and a page that
 * stopped reading its event stream made the server queue up to 64 MiB for it. Each number is the
 * default of a DashboardOptions field of the same name, so tests can shrink it.
 */
export interface ServerLimits {
  /** A socket with no traffic either way for this long is closed (one that never sends a byte too). */
  idleSocketMs: number;
  /** A request's headers must have arrived this long after it began (a slowloris sends them a byte at a time). */
  headersTimeoutMs: number;
  /** The whole request (GET or HEAD: headers only) within this; the response, an event stream too, may last. */
  requestTimeoutMs: number;
  /** How long a kept-alive connection may wait for its next request. */
  keepAliveTimeoutMs: number;
  /** Open connections beyond this are answered 503 and closed at once. */
  maxConnections: number;
  /** Event streams beyond this are answered 503 (each page holds one). */
  maxSseClients: number;
  /** A stream with more than this queued for it (the client stopped reading) is dropped; others go on. */
  maxBufferedBytes: number;
}

export const SERVER_LIMITS: ServerLimits = {
  // A browser's idle kept-alive connection and a page's event stream (a comment every 15 s) both
  // stay well inside these; event streams are exempt from the idle limit and bounded by their buffer.
  idleSocketMs: 30_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  // The load benchmark holds 200 pages; a file-descriptor limit of 1024 keeps room for the run's files.
  maxConnections: 512,
  maxSseClients: 256,
  // A points update is a few hundred bytes and a report tens of kilobytes: 4 MiB is minutes behind.
  maxBufferedBytes: 4 * 1024 * 1024,
};
