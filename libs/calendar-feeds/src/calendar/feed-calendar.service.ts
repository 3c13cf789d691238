import { Injectable } from '@nestjs/common';
import { OPEN_TASK_STATUSES } from '#cairn/action-plans';
import { CheckInStatus } from '#cairn/check-ins';
import { CaseloadAccess, type ClientRef } from '#cairn/clients';
import { GoalStatus, type GoalViewer, goalVisibleTo } from '#cairn/goals';
import { Role } from '#cairn/shared/auth';
import { allOf, anyOf, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
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
      // Goals (and their tasks) as the feed's person may see them: a coach's feed leaves out private goals.
      const viewer: GoalViewer = isClient ? { kind: 'client', clientId: person.id } : { kind: 'coach', coachId: person.id };

      const [tasks, checkIns, goals] = await Promise.all([
        this.openTasks(tx, ids, viewer),
        this.pendingCheckIns(tx, ids, now),
        this.goalTargets(tx, ids, viewer),
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
    const person = await tx.db
      .selectFrom('calendar_feeds as f')
      .innerJoin('users as u', 'u.id', 'f.user_id')
      .innerJoin('tenants as t', 't.id', 'f.tenant_id')
      .select((eb) => ['u.id', 'u.display_name', 'u.role', eb.fn.coalesce('u.timezone', 't.default_timezone').as('timezone')])
      .where('f.id', '=', feed.id)
      .where('f.secret_hash', '=', feed.secretHash)
      .where('f.revoked_at', 'is', null)
      .where('u.status', '=', 'ACTIVE')
      .executeTakeFirst();
    return person ? { ...person, role: person.role as Role } : null;
  }

  /** The clients a coach has an open (ACTIVE or PAUSED) engagement with, archived ones left out. */
  private async caseloadOf(tx: TenantTransaction, coachId: string): Promise<ClientRef[]> {
    const rows = await tx.db
      .selectFrom('engagements as e')
      .select('e.client_id')
      .distinct()
      .where('e.coach_id', '=', coachId)
      .where('e.status', 'in', ['ACTIVE', 'PAUSED'])
      .where(({ not, exists, selectFrom, lit }) =>
        not(
          exists(
            selectFrom('profiles as p')
              .select(lit(1).as('one'))
              .whereRef('p.user_id', '=', 'e.client_id')
              .where('p.archived_at', 'is not', null),
          ),
        ),
      )
      .orderBy('e.client_id')
      .limit(MAX_FEED_CLIENTS)
      .execute();
    const refs = await this.caseload.clientRefs(
      tx,
      { kind: 'coach', coachId },
      rows.map((r) => r.client_id),
    );
    return refs.filter((c) => !c.archived);
  }

  private async openTasks(tx: TenantTransaction, clientIds: string[], viewer: GoalViewer): Promise<FeedTask[]> {
    if (clientIds.length === 0) return [];
    const rows = await tx.db
      .selectFrom('action_tasks as t')
      .innerJoin('goals as g', 'g.id', 't.goal_id')
      .select((eb) => [
        't.id',
        't.client_id',
        'g.title as goal_title',
        't.title',
        't.notes',
        eb.cast<string>('t.start_date', 'text').as('start_date'),
        eb.cast<string | null>('t.due_date', 'text').as('due_date'),
        't.recurrence',
        't.count_target',
        't.version',
        't.updated_at',
      ])
      .where('t.client_id', '=', anyOf(clientIds, 'uuid'))
      .where('t.status', '=', anyOf(OPEN_TASK_STATUSES, 'text'))
      .where(goalVisibleTo(tx, viewer, 'g'))
      .orderBy('t.start_date')
      .orderBy('t.id')
      .limit(MAX_FEED_EVENTS + 1)
      .execute();
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
    const rows = await tx.db
      .selectFrom('check_ins as c')
      .innerJoin('checkin_template_versions as v', 'v.id', 'c.template_version_id')
      .innerJoin('checkin_templates as tp', 'tp.id', 'v.template_id')
      .select(['c.id', 'c.client_id', 'tp.name as template_name', 'c.opens_at', 'c.closes_at', 'c.created_at'])
      .where('c.client_id', '=', anyOf(clientIds, 'uuid'))
      .where('c.status', '=', CheckInStatus.PENDING)
      .where('c.closes_at', '>', now)
      .orderBy('c.opens_at')
      .orderBy('c.id')
      .limit(MAX_FEED_EVENTS + 1)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      clientId: r.client_id,
      templateName: r.template_name,
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      createdAt: r.created_at,
    }));
  }

  private async goalTargets(tx: TenantTransaction, clientIds: string[], viewer: GoalViewer): Promise<FeedGoal[]> {
    if (clientIds.length === 0) return [];
    const rows = await tx.db
      .selectFrom('goals as g')
      .select((eb) => [
        'g.id',
        'g.client_id',
        'g.title',
        'g.status',
        eb.cast<string>('g.target_date', 'text').as('target_date'),
        'g.version',
        'g.updated_at',
      ])
      .where('g.client_id', '=', anyOf(clientIds, 'uuid'))
      .where('g.target_date', 'is not', null)
      .where('g.status', '<>', allOf(TERMINAL_GOAL_STATUSES, 'text'))
      .where(goalVisibleTo(tx, viewer, 'g'))
      .orderBy('g.target_date')
      .orderBy('g.id')
      .limit(MAX_FEED_EVENTS + 1)
      .execute();
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
