/** Where `npm run dev` runs the local SQL-over-HTTP endpoint, and the database it serves. */
export const LOCAL_DATABASE_URL = "postgres://gatehouse:local@127.0.0.1:4444/gatehouse";

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Whether a DATABASE_URL names the local endpoint (plain HTTP on this machine). */
export function isLoopbackDatabase(databaseUrl: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(databaseUrl).hostname);
}
