/**
 * Deterministic job ids (`kind/tenant/recipient/period`): adding the same logical job twice is a no-op in
 * BullMQ, which is what makes retries, restarts and several replicas safe. BullMQ forbids ':' in custom ids,
 * hence '/'.
 */
export function jobId(kind: string, ...parts: string[]): string {
  for (const part of [kind, ...parts]) {
    if (!part || /[:/\s]/.test(part)) throw new Error(`Invalid job id part "${part}"`);
  }
  return [kind, ...parts].join('/');
}
