import type { Kysely } from 'kysely';
import type { TenantTransaction } from '#cairn/shared/database';

/** Never exported: credentials (hashes, sealed secrets, PKCE verifiers) and what only routes rows (the tenant). */
const HIDDEN = /(_hash|_sealed|^tenant_id|^secret|^previous_secret|^code_verifier)$/;

type Row = Record<string, unknown>;
/** Sections are collected from a list of tables; `rowsOf` reads any of them through the tenant layer. */
type AnyDb = Kysely<Record<string, Row>>;

export interface ExportSubject {
  clientId: string;
  email: string;
}

/** What each section read earlier, for the ones that follow it (a goal's measures need the goals' ids). */
type Found = Record<string, Row[]>;

interface Section {
  name: string;
  describes: string;
  read(db: AnyDb, subject: ExportSubject, found: Found): Promise<Row[]>;
}

const idsOf = (rows: Row[] | undefined) => (rows ?? []).map((row) => row.id as string);

/** Rows of `table` whose `column` is one of `values` (none: no query). */
async function rowsOf(db: AnyDb, table: string, column: string, values: readonly string[]): Promise<Row[]> {
  if (values.length === 0) return [];
  const rows = await db.selectFrom(table).selectAll().where(column, 'in', values).execute();
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !HIDDEN.test(key))));
}

/** Rows of `table` matching any of `matches` (column, value), each once, in the order found. */
async function rowsMatchingAny(db: AnyDb, table: string, matches: ReadonlyArray<[column: string, value: string]>): Promise<Row[]> {
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const [column, value] of matches) {
    for (const row of await rowsOf(db, table, column, [value])) {
      if (seen.has(row.id as string)) continue;
      seen.add(row.id as string);
      rows.push(row);
    }
  }
  return rows;
}

const byClient = (name: string, table: string, describes: string, column = 'client_id'): Section => ({
  name,
  describes,
  read: (db, { clientId }) => rowsOf(db, table, column, [clientId]),
});
const byParent = (name: string, table: string, column: string, parent: string, describes: string): Section => ({
  name,
  describes,
  read: (db, _subject, found) => rowsOf(db, table, column, idsOf(found[parent])),
});

/**
 * Everything Cairn holds about one client, a section per table, in dependency order. Columns are the tables'
 * own (snake_case), so the document says exactly what is stored; only credential hashes are left out.
 */
export const EXPORT_SECTIONS: readonly Section[] = [
  byClient('account', 'users', 'the sign-in account: email, name, role, time zone, last sign-in', 'id'),
  byClient('profile', 'profiles', 'job title and organization; archiving', 'user_id'),
  byClient('traits', 'client_traits', 'values and strengths'),
  byClient('engagements', 'engagements', 'coaching engagements: which coach, from when to when'),
  byClient('goals', 'goals', 'every goal (private ones too): why, SMART fields, status, visibility'),
  byParent('goalMeasures', 'goal_measures', 'goal_id', 'goals', 'measures of success of those goals'),
  byParent('progressUpdates', 'progress_updates', 'goal_id', 'goals', 'progress recorded against the measures'),
  byParent('goalRevisions', 'goal_revisions', 'goal_id', 'goals', 'what changed in each goal, by whom, why'),
  byParent('goalTraitLinks', 'goal_trait_links', 'goal_id', 'goals', 'which values and strengths a goal draws on'),
  byClient('developmentItems', 'development_items', 'the development (fact-finding) list'),
  byClient('careerPaths', 'career_paths', 'career paths'),
  byParent('careerSteps', 'career_steps', 'path_id', 'careerPaths', 'their steps'),
  byClient('tasks', 'action_tasks', 'action-plan tasks'),
  byClient('taskDependencies', 'task_dependencies', 'which task waits for which'),
  byClient('taskCompletions', 'task_completions', 'the completion log'),
  byClient('checkInAssignments', 'checkin_assignments', 'recurring check-ins assigned to the client'),
  byClient('checkIns', 'check_ins', 'each check-in occurrence: open, answered, missed, excused'),
  byClient('checkInSubmissions', 'checkin_submissions', 'answers given (with amendments)'),
  byParent('checkInFeedback', 'checkin_feedback', 'check_in_id', 'checkIns', 'coaches’ feedback on the check-ins'),
  byClient('notifications', 'notifications', 'the in-app feed', 'recipient_user_id'),
  {
    name: 'messages',
    describes: 'messages sent to the client (email, feed, webhooks), by account or address',
    read: (db, { clientId, email }) =>
      rowsMatchingAny(db, 'messages', [
        ['recipient_user_id', clientId],
        ['recipient_email', email],
      ]),
  },
  byParent('messageDeliveries', 'message_deliveries', 'message_id', 'messages', 'how each message went out, per channel'),
  byParent('messageDeliveryAttempts', 'message_delivery_attempts', 'delivery_id', 'messageDeliveries', 'each attempt'),
  byClient('nudgePreferences', 'nudge_preferences', 'nudge opt-outs and channels'),
  byClient('nudgeItems', 'nudge_items', 'what the client was nudged about'),
  byClient('supporters', 'supporters', 'people the client invited to follow their goals'),
  byParent('supporterShares', 'goal_supporter_shares', 'supporter_id', 'supporters', 'goals shared with each'),
  byClient('supporterRequests', 'supporter_requests', 'questions asked of supporters, and answers'),
  byClient('supporterEncouragements', 'supporter_encouragements', 'encouragements received'),
  byClient('supporterDigestCadence', 'supporter_digest_cadences', 'how often supporters get a digest'),
  byClient('calendarFeeds', 'calendar_feeds', 'calendar feeds (the secret address is not stored)', 'user_id'),
  byClient('secondFactor', 'user_mfa', 'multi-factor sign-in: when it was turned on and last used (not the secret)', 'user_id'),
  byClient('recoveryCodes', 'mfa_recovery_codes', 'recovery codes: when made and used (not the codes)', 'user_id'),
  byClient('ssoIdentities', 'sso_identities', 'accounts at the firm’s identity provider linked to this person', 'user_id'),
  {
    name: 'auditTrail',
    describes: 'security-relevant actions by or about the client: sign-ins, MFA changes, exports (ids and codes only)',
    read: (db, { clientId }) =>
      rowsMatchingAny(db, 'audit_entries', [
        ['actor_id', clientId],
        ['subject_id', clientId],
      ]),
  },
];

export interface ExportDocument {
  readme: { about: string; format: string; sections: Record<string, string> };
  exportedAt: string;
  clientId: string;
  [section: string]: unknown;
}

/**
 * Builds the document section by section, each in its own read (so progress can be recorded between them);
 * `progress` gets the share done, 0–99.
 */
export async function buildExportDocument(
  read: <T>(work: (tx: TenantTransaction) => Promise<T>) => Promise<T>,
  subject: ExportSubject,
  progress: (percent: number) => Promise<void>,
): Promise<ExportDocument> {
  const found: Found = {};
  for (const [index, section] of EXPORT_SECTIONS.entries()) {
    found[section.name] = await read((tx) => section.read(tx.db as unknown as AnyDb, subject, found));
    await progress(Math.floor(((index + 1) * 99) / EXPORT_SECTIONS.length));
  }
  return {
    readme: {
      about:
        'Everything Cairn held about this client when the export ran. Each section is a list of rows of one ' +
        'table, with the table’s own column names; ids link sections (goal_id, check_in_id, …).',
      format: 'Timestamps are ISO 8601 in UTC; dates are YYYY-MM-DD; credential hashes are left out.',
      sections: Object.fromEntries(EXPORT_SECTIONS.map((s) => [s.name, s.describes])),
    },
    exportedAt: new Date().toISOString(),
    clientId: subject.clientId,
    ...found,
  };
}
