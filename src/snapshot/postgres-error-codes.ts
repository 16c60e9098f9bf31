/** The SQLSTATEs the engine branches on (never on message text). */
export const SQLSTATE = {
  duplicateDatabase: '42P04',
  invalidCatalogName: '3D000', // no such database
  objectInUse: '55006',
  insufficientPrivilege: '42501',
  adminShutdown: '57P01',
  objectNotInPrerequisiteState: '55000', // e.g. database does not allow connections
} as const;

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLSTATE class 53: insufficient resources (disk full, out of memory, too many connections). */
export function isInsufficientResources(error: unknown): boolean {
  return sqlState(error)?.startsWith('53') ?? false;
}
