// Why the embedded Postgres could not start, with the server's own last log lines.
export class EmbeddedPostgresError extends Error {
  constructor(
    message: string,
    readonly logTail: string[],
  ) {
    super(logTail.length ? `${message}\nPostgres said:\n  ${logTail.join('\n  ')}` : message);
    this.name = 'EmbeddedPostgresError';
  }
}
