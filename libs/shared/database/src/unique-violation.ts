interface DriverError {
  driverError?: { code?: string; constraint?: string };
}

/** The unique constraint `error` violated, or undefined when it is not a unique violation (SQLSTATE 23505). */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  const driver = (error as DriverError)?.driverError;
  return driver?.code === '23505' ? (driver.constraint ?? '') : undefined;
}

/** True for a unique violation, of `constraint` when one is named; services turn it into a CONFLICT. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const violated = violatedUniqueConstraint(error);
  return violated !== undefined && (!constraint || violated === constraint);
}
