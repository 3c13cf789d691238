import type { DB } from '#cairn/shared/database';

/**
 * The steps of an erasure, in order. Each database step runs in one transaction with the request's step
 * counter, so a crash resumes at the first step not yet committed; each is idempotent, so running one again
 * (the Redis step, which no transaction covers) changes nothing. The person's row goes last: the earlier steps
 * need their name and email to find what quotes them.
 */
export const ERASURE_STEPS = [
  // Sign-in, refresh, calendar, supporter and act-as-client access stop before anything else is touched.
  'block-access',
  // Rows kept for others (a coach's report and its email) lose the name and email; their counts stay.
  'redact-shared',
  // Outbox events about the client (webhook deliveries and attempts cascade with them).
  'outbox',
  // Messages to the client or about them to their supporters, and invitations to their address.
  'messages',
  // BullMQ jobs and keys in Redis that carry the client's id, name or email.
  'redis',
  // The person's row: every table hanging off it by ON DELETE CASCADE goes with it; client.erased is emitted.
  'person',
] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

export type TableName = keyof DB;

/** How erasing a client treats one table. */
export type ErasureRule =
  /** Rows go with a row of `from` through a foreign key with ON DELETE CASCADE (the plan test checks the key). */
  | { cascade: TableName }
  /** The step that deletes or redacts the client's rows, and how. */
  | { step: ErasureStep; how: string }
  /** Holds nothing about a client; why. */
  | { none: string };

const cascade = (from: TableName): ErasureRule => ({ cascade: from });
const step = (name: ErasureStep, how: string): ErasureRule => ({ step: name, how });
const none = (reason: string): ErasureRule => ({ none: reason });

/**
 * Every table of the schema and what erasing a client does to it. A table missing here does not compile once
 * `npm run db:types` has seen it, and test/privacy-erasure-plan.e2e.spec.ts compares this list with the
 * migrated schema and checks every cascade against its foreign key: a new table is one line here.
 */
export const ERASURE_PLAN: Record<TableName, ErasureRule> = {
  tenants: none('the firm itself'),
  users: step('person', 'the client’s row is deleted'),
  refresh_tokens: cascade('users'),
  api_keys: none('made by admins for partner backends; an act-as-client token dies with its client (block-access, then person)'),
  invitations: step('messages', 'invitations to the client’s email are deleted'),
  profiles: cascade('users'),
  engagements: cascade('users'),
  client_traits: cascade('users'),
  goals: cascade('users'),
  goal_measures: cascade('goals'),
  progress_updates: cascade('goals'),
  goal_revisions: cascade('goals'),
  goal_trait_links: cascade('goals'),
  goal_policies: none('the firm’s settings'),
  development_items: cascade('users'),
  career_paths: cascade('users'),
  career_steps: cascade('career_paths'),
  action_tasks: cascade('users'),
  task_dependencies: cascade('action_tasks'),
  task_completions: cascade('action_tasks'),
  task_overdue_notices: cascade('action_tasks'),
  checkin_templates: none('the firm’s questions, written by coaches'),
  checkin_template_versions: none('the firm’s questions, written by coaches'),
  checkin_assignments: cascade('users'),
  check_ins: cascade('users'),
  checkin_submissions: cascade('users'),
  checkin_feedback: cascade('check_ins'),
  domain_events: step('outbox', 'events whose payload names the client are deleted'),
  webhook_endpoints: none('the firm’s receivers'),
  webhook_deliveries: cascade('domain_events'),
  webhook_delivery_attempts: cascade('webhook_deliveries'),
  notifications: cascade('users'),
  calendar_feeds: cascade('users'),
  messages: step('messages', 'to the client (by account or address) or to their supporters: deleted; others quoting them: redacted (redact-shared)'),
  message_deliveries: cascade('messages'),
  message_delivery_attempts: cascade('message_deliveries'),
  nudge_policies: none('the firm’s settings'),
  nudge_preferences: cascade('users'),
  nudge_items: cascade('users'),
  coach_reports: step('redact-shared', 'kept for the coach with their totals; the client’s name and email are replaced'),
  report_policies: none('the firm’s settings'),
  report_email_opt_outs: none('a coach’s choice'),
  supporter_policies: none('the firm’s settings'),
  supporters: cascade('users'),
  supporter_links: cascade('supporters'),
  supporter_sessions: cascade('supporters'),
  goal_supporter_shares: cascade('goals'),
  supporter_encouragements: cascade('users'),
  supporter_requests: cascade('users'),
  supporter_digest_cadences: cascade('users'),
  data_exports: cascade('users'),
  audit_entries: none('ids and codes only (the writer refuses names, emails and free text); append-only, and an id names no one once the person is gone'),
  user_mfa: cascade('users'),
  mfa_recovery_codes: cascade('users'),
  mfa_challenges: cascade('users'),
  mfa_policies: none('the firm’s settings'),
  sso_configurations: none('the firm’s identity provider settings'),
  sso_sign_ins: cascade('users'),
  sso_identities: cascade('users'),
  erasure_requests: none('ids and progress only: it outlives the person so erasing again is a no-op'),
};

/** The text that identifies a person in rows kept for others. */
export interface ErasureSubject {
  tenantId: string;
  clientId: string;
  displayName: string;
  email: string;
}
