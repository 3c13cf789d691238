/** Every queue the system uses. Queue names are part of Redis keys: never rename one in place. */
export enum QueueName {
  MAINTENANCE = 'maintenance',
  WEBHOOKS = 'webhooks',
}

/** Every job name, with the queue it runs on. The worker refuses to boot unless each has exactly one handler. */
export const JOB_CATALOG = {
  'identity.purge-expired-credentials': QueueName.MAINTENANCE,
  // The sweep finds due outbox deliveries (the source of truth) and enqueues one deliver job per attempt.
  'webhooks.dispatch-due': QueueName.WEBHOOKS,
  'webhooks.deliver': QueueName.WEBHOOKS,
} as const satisfies Record<string, QueueName>;

export type JobName = keyof typeof JOB_CATALOG;
export const JOB_NAMES = Object.keys(JOB_CATALOG) as JobName[];

/** Periodic jobs, registered by the worker at boot with BullMQ job schedulers (upserts: safe with replicas). */
export const JOB_SCHEDULES: ReadonlyArray<{ job: JobName; everyMs: number }> = [
  { job: 'identity.purge-expired-credentials', everyMs: 60 * 60 * 1000 },
  { job: 'webhooks.dispatch-due', everyMs: 15 * 1000 },
];
