/** Every queue the system uses. Queue names are part of Redis keys: never rename one in place. */
export enum QueueName {
  MAINTENANCE = 'maintenance',
  WEBHOOKS = 'webhooks',
  CHECK_INS = 'check-ins',
  ACTION_PLANS = 'action-plans',
  MESSAGES = 'messages',
  NUDGES = 'nudges',
  REPORTS = 'reports',
  PRIVACY = 'privacy',
}

/** Every job name, with the queue it runs on. The worker refuses to boot unless each has exactly one handler. */
export const JOB_CATALOG = {
  'identity.purge-expired-credentials': QueueName.MAINTENANCE,
  // Hourly (and `npm run keys:reseal`): re-seals every sealed value not under the current DATA_ENCRYPTION_KEYS
  // write key; finds nothing to do between rotations.
  'keys.reseal-secrets': QueueName.MAINTENANCE,
  // The sweep finds due outbox deliveries (the source of truth; expired leases included) and enqueues one
  // deliver job per attempt.
  'webhooks.dispatch-due': QueueName.WEBHOOKS,
  'webhooks.deliver': QueueName.WEBHOOKS,
  // Hourly: deletes finished deliveries and unreferenced events older than WEBHOOK_RETENTION_DAYS.
  'webhooks.purge-old': QueueName.WEBHOOKS,
  // Every minute: find tenants with check-in work, then one job per tenant (id: tenant and minute).
  'check-ins.sweep': QueueName.CHECK_INS,
  'check-ins.sweep-tenant': QueueName.CHECK_INS,
  // Every 15 minutes: announce action tasks that became overdue (task.overdue), one job per tenant.
  'action-plans.overdue-sweep': QueueName.ACTION_PLANS,
  'action-plans.overdue-tenant': QueueName.ACTION_PLANS,
  // Email: one job per tenant batch of up to 100 attempts (id: digest of its delivery ids and attempt numbers;
  // the delivery engine claims them a few at a time, each attempt once), and a sweep for what nobody enqueued,
  // is due again, or whose lease ran out.
  'messages.send-email': QueueName.MESSAGES,
  'messages.dispatch-due': QueueName.MESSAGES,
  // Nudges: every 15 minutes, tenants with clients in an active engagement → one plan job per tenant and
  // period, which writes each client's one merged message (key `nudge/<client>/<period>`); email then goes
  // out in messages.send-email batches.
  'nudges.sweep': QueueName.NUDGES,
  'nudges.plan-tenant': QueueName.NUDGES,
  // Coach reports: every 15 minutes, tenants with an active coach in an open engagement → one plan job per
  // tenant and period, which makes each due coach's report (key `report/<coach>/<periodStart>`) and sends it.
  'reports.sweep': QueueName.REPORTS,
  'reports.plan-tenant': QueueName.REPORTS,
  // Supporter digests: every 15 minutes, tenants with supporters → one plan job per tenant and period, which
  // sends each due supporter's digest once per cadence period (key `supporter-digest/<supporter>/<period>`).
  'supporters.digest-sweep': QueueName.NUDGES,
  'supporters.digest-tenant': QueueName.NUDGES,
  // Privacy: one job per data export (id: the export's) and per erasure (id: the erasure request's, which
  // resumes at its recorded step); every 15 minutes a sweep deletes expired exports' documents and queues
  // again what stalled (Redis lost its job, or an enqueue failed).
  'privacy.export-client': QueueName.PRIVACY,
  'privacy.erase-client': QueueName.PRIVACY,
  'privacy.sweep': QueueName.PRIVACY,
} as const satisfies Record<string, QueueName>;

export type JobName = keyof typeof JOB_CATALOG;
export const JOB_NAMES = Object.keys(JOB_CATALOG) as JobName[];

/** Periodic jobs, registered by the worker at boot with BullMQ job schedulers (upserts: safe with replicas). */
export const JOB_SCHEDULES: ReadonlyArray<{ job: JobName; everyMs: number }> = [
  { job: 'identity.purge-expired-credentials', everyMs: 60 * 60 * 1000 },
  { job: 'keys.reseal-secrets', everyMs: 60 * 60 * 1000 },
  // Every 5 s: with 15 s delivery leases, a dead worker's claimed deliveries are sent by another within ~20 s.
  { job: 'webhooks.dispatch-due', everyMs: 5 * 1000 },
  { job: 'webhooks.purge-old', everyMs: 60 * 60 * 1000 },
  { job: 'check-ins.sweep', everyMs: 60 * 1000 },
  { job: 'action-plans.overdue-sweep', everyMs: 15 * 60 * 1000 },
  { job: 'messages.dispatch-due', everyMs: 5 * 1000 },
  { job: 'nudges.sweep', everyMs: 15 * 60 * 1000 },
  { job: 'reports.sweep', everyMs: 15 * 60 * 1000 },
  { job: 'supporters.digest-sweep', everyMs: 15 * 60 * 1000 },
  { job: 'privacy.sweep', everyMs: 15 * 60 * 1000 },
];

/** How often a periodic job runs; its fan-outs use it to name their period. */
export function scheduleEvery(job: JobName): number {
  const schedule = JOB_SCHEDULES.find((s) => s.job === job);
  if (!schedule) throw new Error(`${job} is not a periodic job`);
  return schedule.everyMs;
}
