import { Injectable } from '@nestjs/common';
import { OPEN_TASK_STATUSES } from '#cairn/action-plans';
import { CheckInStatus } from '#cairn/check-ins';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import { GoalStatus } from '#cairn/goals';
import { Role } from '#cairn/shared/auth';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { CalendarFeedService, type ResolvedFeed } from '../feeds/calendar-feed.service.js';
import { type IcsEvent, writeCalendar } from '../ics/ics-writer.js';
import {
  boundedEvents,
  checkInEvent,
  type ClientLabel,
  type FeedCheckIn,
  type FeedGoal,
  type FeedTask,
  goalEvent,
  taskEvents,
} from './feed-events.js';

/** Most events one feed carries; the earliest are kept (see README, "Calendar feeds"). */
export const MAX_FEED_EVENTS = 2000;
/** Most clients of one coach's caseload a feed covers. */
export const MAX_FEED_CLIENTS = 1000;
export const FEED_REFRESH_INTERVAL = 'PT1H';

/** Goals in these statuses are closed: their target date no longer asks for anything. */
const TERMINAL_GOAL_STATUSES: readonly GoalStatus[] = [GoalStatus.ACHIEVED, GoalStatus.ABANDONED];

interface Person {
  id: string;
  display_name: string;
  role: Role;
  timezone: string;
}

/**
 * Builds the ICS text of a feed. Runs as the feed's tenant (RLS applies) in one transaction and a fixed number
 * of statements however many clients, tasks and check-ins there are: the person, the caseload, the clients'
 * refs, then tasks, check-ins and goals for all those clients at once.
 */
@Injectable()
export class FeedCalendarService {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly caseload: CaseloadAccess,
    private readonly feeds: CalendarFeedService,
  ) {}

  /** The calendar, or null when the feed no longer speaks for an active person (deactivated, rotated meanwhile). */
  build(feed: ResolvedFeed, now = new Date()): Promise<string | null> {
    return this.tenantDb.transaction(async (tx) => {
      const person = await this.personOf(tx, feed);
      if (!person) return null;
      await this.feeds.touch(tx, feed.id, now);

      const isClient = person.role === Role.CLIENT;
      // A coach's (or a coaching admin's) feed covers the clients they coach themselves, not the whole firm.
      const clients = isClient
        ? await this.caseload.clientRefs(tx, { kind: 'client', clientId: person.id }, [person.id])
        : await this.caseloadOf(tx, person.id);
      const ids = clients.map((c) => c.id);
      const names = new Map(clients.map((c) => [c.id, c.displayName]));
      const clientLabel: ClientLabel = isClient ? () => null : (id) => names.get(id) ?? null;

      const [tasks, checkIns, goals] = await Promise.all([
        this.openTasks(tx, ids),
        this.pendingCheckIns(tx, ids, now),
        this.goalTargets(tx, ids),
      ]);
      const events: IcsEvent[] = [
        ...tasks.flatMap((task) => taskEvents(task, clientLabel)),
        ...checkIns.map((checkIn) => checkInEvent(checkIn, clientLabel)),
        ...goals.map((goal) => goalEvent(goal, clientLabel)),
      ];
      const bounded = boundedEvents(events, MAX_FEED_EVENTS);
      const scope = isClient ? 'your' : 'your clients’';
      const description =
        `Action tasks, check-ins and goal target dates of ${scope} plans in Cairn.` +
        (bounded.truncated ? ` Only the first ${MAX_FEED_EVENTS} events are shown.` : '');
      return writeCalendar({
        prodId: '-//Cairn//Calendar feed 1.0//EN',
        name: `Cairn — ${person.display_name}`,
        description,
        timezone: person.timezone,
        refreshInterval: FEED_REFRESH_INTERVAL,
        events: bounded.events,
      });
    });
  }

  /** The feed's person, if the feed is still live with this secret and the person still active. */
  private async personOf(tx: TenantTransaction, feed: ResolvedFeed): Promise<Person | null> {
    const [person]: Person[] = await tx.manager.query(
      `SELECT u.id, u.display_name, u.role, COALESCE(u.timezone, t.default_timezone) AS timezone
         FROM calendar_feeds f
         JOIN users u ON u.tenant_id = f.tenant_id AND u.id = f.user_id
         JOIN tenants t ON t.id = f.tenant_id
        WHERE f.tenant_id = $1 AND f.id = $2 AND f.secret_hash = $3 AND f.revoked_at IS NULL
          AND u.status = 'ACTIVE'`,
      [tx.tenantId, feed.id, feed.secretHash],
    );
    return person ?? null;
  }

  /** The clients a coach has an open (ACTIVE or PAUSED) engagement with, archived ones left out. */
  private async caseloadOf(tx: TenantTransaction, coachId: string): Promise<ClientRef[]> {
    const rows: { client_id: string }[] = await tx.manager.query(
      `SELECT DISTINCT e.client_id FROM engagements e
        WHERE e.tenant_id = $1 AND e.coach_id = $2 AND e.status IN ('ACTIVE', 'PAUSED')
          AND NOT EXISTS (SELECT 1 FROM profiles p WHERE p.tenant_id = e.tenant_id AND p.user_id = e.client_id
                            AND p.archived_at IS NOT NULL)
        ORDER BY e.client_id LIMIT $3`,
      [tx.tenantId, coachId, MAX_FEED_CLIENTS],
    );
    const refs = await this.caseload.clientRefs(
      tx,
      { kind: 'coach', coachId },
      rows.map((r) => r.client_id),
    );
    return refs.filter((c) => !c.archived);
  }

  private async openTasks(tx: TenantTransaction, clientIds: string[]): Promise<FeedTask[]> {
    if (clientIds.length === 0) return [];
    const rows: {
      id: string;
      client_id: string;
      goal_title: string;
      title: string;
      notes: string | null;
      start_date: string;
      due_date: string | null;
      recurrence: string | null;
      count_target: number;
      version: number;
      updated_at: Date;
    }[] = await tx.manager.query(
      `SELECT t.id, t.client_id, g.title AS goal_title, t.title, t.notes, t.start_date::text AS start_date,
              t.due_date::text AS due_date, t.recurrence, t.count_target, t.version, t.updated_at
         FROM action_tasks t
         JOIN goals g ON g.tenant_id = t.tenant_id AND g.id = t.goal_id
        WHERE t.tenant_id = $1 AND t.client_id = ANY($2::uuid[]) AND t.status = ANY($3::text[])
        ORDER BY t.start_date, t.id LIMIT $4`,
      [tx.tenantId, clientIds, OPEN_TASK_STATUSES, MAX_FEED_EVENTS + 1],
    );
    return rows.map((r) => ({
      id: r.id,
      clientId: r.client_id,
      goalTitle: r.goal_title,
      title: r.title,
      notes: r.notes,
      startDate: r.start_date,
      dueDate: r.due_date,
      recurrence: r.recurrence,
      countTarget: r.count_target,
      version: r.version,
      updatedAt: r.updated_at,
    }));
  }

  /** PENDING check-ins that have not closed yet: the worker materializes them 14 days ahead. */
  private async pendingCheckIns(
    tx: TenantTransaction,
    clientIds: string[],
    now: Date,
  ): Promise<FeedCheckIn[]> {
    if (clientIds.length === 0) return [];
    const rows: {
      id: string;
      client_id: string;
      template_name: string;
      opens_at: Date;
      closes_at: Date;
      created_at: Date;
    }[] = await tx.manager.query(
      `SELECT c.id, c.client_id, tp.name AS template_name, c.opens_at, c.closes_at, c.created_at
         FROM check_ins c
         JOIN checkin_template_versions v ON v.tenant_id = c.tenant_id AND v.id = c.template_version_id
         JOIN checkin_templates tp ON tp.tenant_id = v.tenant_id AND tp.id = v.template_id
        WHERE c.tenant_id = $1 AND c.client_id = ANY($2::uuid[]) AND c.status = $3 AND c.closes_at > $4
        ORDER BY c.opens_at, c.id LIMIT $5`,
      [tx.tenantId, clientIds, CheckInStatus.PENDING, now, MAX_FEED_EVENTS + 1],
    );
    return rows.map((r) => ({
      id: r.id,
      clientId: r.client_id,
      templateName: r.template_name,
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      createdAt: r.created_at,
    }));
  }

  private async goalTargets(tx: TenantTransaction, clientIds: string[]): Promise<FeedGoal[]> {
    if (clientIds.length === 0) return [];
    const rows: {
      id: string;
      client_id: string;
      title: string;
      status: string;
      target_date: string;
      version: number;
      updated_at: Date;
    }[] = await tx.manager.query(
      `SELECT g.id, g.client_id, g.title, g.status, g.target_date::text AS target_date, g.version, g.updated_at
         FROM goals g
        WHERE g.tenant_id = $1 AND g.client_id = ANY($2::uuid[]) AND g.target_date IS NOT NULL
          AND g.status <> ALL($3::text[])
        ORDER BY g.target_date, g.id LIMIT $4`,
      [tx.tenantId, clientIds, TERMINAL_GOAL_STATUSES, MAX_FEED_EVENTS + 1],
    );
    return rows.map((r) => ({
      id: r.id,
      clientId: r.client_id,
      title: r.title,
      status: r.status,
      targetDate: r.target_date,
      version: r.version,
      updatedAt: r.updated_at,
    }));
  }
}
