import { registerEnumType } from '@nestjs/graphql';
import { type Expression, type SqlBool, sql } from 'kysely';
import { type CaseloadScope, engagedWith } from '#cairn/clients';
import type { TenantTransaction } from '#cairn/shared/database';

/**
 * Who besides the client may see a goal. The client always sees their own goals; everyone else needs the goal
 * to name their audience. A third audience (named supporters) plugs in as another member here, another viewer
 * kind below, and another branch of `goalVisibleTo` (an EXISTS on the share table).
 */
export enum GoalAudience {
  /** The client's coaches, through an open engagement. */
  COACHES = 'COACHES',
  /** The firm: admins, and API keys (with the goal scopes). */
  FIRM = 'FIRM',
}
registerEnumType(GoalAudience, {
  name: 'GoalAudience',
  description: 'Who besides the client may see a goal.',
  valuesMap: {
    COACHES: { description: 'The client’s coaches (their open engagements).' },
    FIRM: { description: 'The firm: admins and API keys with the goal scopes.' },
  },
});

/** Everyone, in a stable order. */
export const ALL_AUDIENCES: readonly GoalAudience[] = [GoalAudience.COACHES, GoalAudience.FIRM];

/** Who is looking: the caseload scopes (a firm-wide reader, a coach, the client themself). */
export type GoalViewer = CaseloadScope;

/** The columns visibility reads, as a goal row or entity has them. */
export interface GoalAudienceColumns {
  clientId: string;
  visibleToCoaches: boolean;
  visibleToFirm: boolean;
}

export const audiencesOf = (g: Pick<GoalAudienceColumns, 'visibleToCoaches' | 'visibleToFirm'>): GoalAudience[] =>
  ALL_AUDIENCES.filter((a) => (a === GoalAudience.COACHES ? g.visibleToCoaches : g.visibleToFirm));

export const audienceColumns = (audiences: readonly GoalAudience[]) => ({
  visibleToCoaches: audiences.includes(GoalAudience.COACHES),
  visibleToFirm: audiences.includes(GoalAudience.FIRM),
});

/** Whether the goal is shown to everyone who may see the client (as before visibility existed). */
export const sharedWithEveryone = (g: Pick<GoalAudienceColumns, 'visibleToCoaches' | 'visibleToFirm'>): boolean =>
  g.visibleToCoaches && g.visibleToFirm;

/**
 * Whether the goal's audiences admit the viewer. Only the audience: a coach must also reach the client
 * (CaseloadAccess), which `goalVisibleTo` checks in SQL and GoalAccess checks for one goal.
 */
export function audienceAdmits(viewer: GoalViewer, goal: GoalAudienceColumns): boolean {
  switch (viewer.kind) {
    case 'client':
      return goal.clientId === viewer.clientId;
    case 'coach':
      return goal.visibleToCoaches;
    case 'firm':
      return goal.visibleToFirm;
  }
}

/**
 * THE predicate: whether the viewer may see the goal row `goalAlias` (a table alias of `goals`), the client's
 * reach included. Built on `tx.db`, so the tenant layer scopes its probe like the query it joins.
 */
export function goalVisibleTo(tx: TenantTransaction, viewer: GoalViewer, goalAlias: string): Expression<SqlBool> {
  const col = (name: string) => sql.ref<boolean>(`${goalAlias}.${name}`);
  switch (viewer.kind) {
    case 'client':
      return sql<SqlBool>`${col('client_id')} = ${viewer.clientId}`;
    case 'coach':
      return sql<SqlBool>`(${col('visible_to_coaches')} AND ${engagedWith(tx, `${goalAlias}.client_id`, viewer.coachId)})`;
    case 'firm':
      return sql<SqlBool>`${col('visible_to_firm')}`;
  }
}

/**
 * Whether the goal row `goalAlias` is shown to every listed audience — for content read by several at once (a
 * coach report is read by its coach and the firm's admins; a nudge's wording by the client's coaches, the firm
 * and its webhooks). Audiences now, whatever the figures' date.
 */
export function goalSharedWith(goalAlias: string, audiences: readonly GoalAudience[]): Expression<SqlBool> {
  const parts = audiences.map((a) =>
    sql.ref<boolean>(`${goalAlias}.${a === GoalAudience.COACHES ? 'visible_to_coaches' : 'visible_to_firm'}`),
  );
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` AND `)})` : sql<SqlBool>`true`;
}

/**
 * For rows that hang off a goal (tasks, measures, progress, check-in answers): whether the goal in
 * `goalIdColumn` (a qualified column) is visible to the viewer; a null column (no goal) passes.
 */
export function linkedGoalVisibleTo(
  tx: TenantTransaction,
  viewer: GoalViewer,
  goalIdColumn: string,
): Expression<SqlBool> {
  const goal = tx.db
    .selectFrom('goals as vis_g')
    .select(sql.lit(1).as('one'))
    .where('vis_g.id', '=', sql.ref<string>(goalIdColumn))
    .where(goalVisibleTo(tx, viewer, 'vis_g'));
  return sql<SqlBool>`(${sql.ref(goalIdColumn)} IS NULL OR EXISTS (${goal}))`;
}
