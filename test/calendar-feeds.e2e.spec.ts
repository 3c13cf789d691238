import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { TenantDatabase } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { occurrenceDates } from '#cairn/shared/calendar';
import {
  addUser,
  coachingFirm,
  createApiKey,
  createClient,
  engage,
  errorCode,
  type Session,
  signUpFirm,
  testConfig,
} from '#cairn/shared/testing';
import { createTask, daysFromToday, insertGoal } from './action-plan-fixtures.js';
import { TestApi } from './support/index.js';

const BASE = 'https://cairn.example.test';
const FEED = 'id createdAt rotatedAt lastAccessedAt revokedAt';
const MINE = `{ myCalendarFeed { ${FEED} } }`;
const ROTATE = `mutation { rotateMyCalendarFeed { url feed { ${FEED} } } }`;
const REVOKE = `mutation { revokeMyCalendarFeed { ${FEED} } }`;
const ACT_AS_CLIENT = `mutation ($clientId: ID!) { actAsClient(clientId: $clientId) { accessToken } }`;
const CREATE_TEMPLATE = `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`;
const ASSIGN = `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`;
const URL_FORMAT = new RegExp(
  `^${BASE.replace(/\./g, '\\.')}/calendar/cal_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})\\.ics$`,
);
const ZONE = 'Europe/London';

type Feed = {
  id: string;
  createdAt: string;
  rotatedAt: string | null;
  lastAccessedAt: string | null;
  revokedAt: string | null;
};

let api: TestApi;
beforeAll(async () => {
  // A trailing slash on the configured base must not double up in the addresses handed out.
  api = await TestApi.start(ApiModule.forRoot(testConfig({ PUBLIC_BASE_URL: `${BASE}/` })));
});
afterAll(() => api.close());

async function rotate(session: Session): Promise<{ url: string; feed: Feed }> {
  const data = await api.ok<{ rotateMyCalendarFeed: { url: string; feed: Feed } }>(
    ROTATE,
    {},
    { token: session.accessToken },
  );
  return data.rotateMyCalendarFeed;
}

interface Fetched {
  status: number;
  headers: Record<string, string>;
  raw: Buffer;
  text: string;
}

/** GETs a feed address (or any path) and keeps the body's exact bytes. */
async function get(urlOrPath: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const path = urlOrPath.startsWith('http') ? new URL(urlOrPath).pathname : urlOrPath;
  let req = api.http.get(path);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  const res = await req.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });
  const raw = res.body as Buffer;
  return {
    status: res.status,
    headers: res.headers as Record<string, string>,
    raw,
    text: raw.toString('utf8'),
  };
}

async function calendarOf(url: string) {
  const res = await get(url);
  expect(res.status).toBe(200);
  return { ...parse(res.text), res };
}

/** The feed as an independent parser (ical.js) reads it. */
function parse(text: string) {
  const vcalendar = new ICAL.Component(ICAL.parse(text));
  const events = vcalendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  const byUid = new Map(events.map((e) => [e.uid, e]));
  return {
    vcalendar,
    events,
    byUid,
    uids: events.map((e) => e.uid),
    summaries: events.map((e) => e.summary),
  };
}

/** Dates of an all-day series as ical.js expands it (at most `max`). */
function expand(event: ICAL.Event, max = 500): string[] {
  const it = event.iterator();
  const dates: string[] = [];
  for (let next = it.next(); next && dates.length < max; next = it.next()) dates.push(next.toString());
  return dates;
}

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

async function insertGoalWith(
  tenantId: string,
  clientId: string,
  title: string,
  status: string,
  targetDate: string | null,
) {
  const id = await insertGoal(api, tenantId, clientId, title);
  await api.dataSource.query(
    `UPDATE goals SET status = $2, target_date = $3, achieved_at = CASE WHEN $2 = 'ACHIEVED' THEN now() END WHERE id = $1`,
    [id, status, targetDate],
  );
  return id;
}

async function dailyCheckIns(coach: Session, clientId: string, name: string) {
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    CREATE_TEMPLATE,
    { input: { name, prompts: [{ key: 'energy', label: 'Energy?', type: 'SCALE' }] } },
    { token: coach.accessToken },
  );
  const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate();
  await api.ok(
    ASSIGN,
    {
      input: {
        clientId,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: `${tomorrow}T18:00`,
        windowMinutes: 60,
      },
    },
    { token: coach.accessToken },
  );
}

describe('managing your calendar feed', () => {
  it('rotation creates the feed and shows its secret address only then; revoking is idempotent', async () => {
    const { client } = await coachingFirm(api);
    expect(
      (await api.ok<{ myCalendarFeed: Feed | null }>(MINE, {}, { token: client.accessToken })).myCalendarFeed,
    ).toBeNull();

    const first = await rotate(client);
    const [, id, secret] = URL_FORMAT.exec(first.url) ?? [];
    expect(id).toBe(first.feed.id);
    expect(first.feed).toMatchObject({ rotatedAt: null, revokedAt: null, lastAccessedAt: null });
    const mine = await api.gql(MINE, {}, { token: client.accessToken });
    expect(mine.data).toEqual({ myCalendarFeed: first.feed });
    expect(JSON.stringify(mine)).not.toContain(secret);
    // Only the hash is stored.
    const [row] = await api.dataSource.query(`SELECT secret_hash FROM calendar_feeds WHERE id = $1`, [id]);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secret_hash).not.toContain(secret);
    // The type has no field that could leak the secret.
    const type = await api.ok<{ __type: { fields: { name: string }[] } }>(
      `{ __type(name: "CalendarFeed") { fields { name } } }`,
    );
    expect(type.__type.fields.map((f) => f.name).sort()).toEqual([
      'createdAt',
      'id',
      'lastAccessedAt',
      'revokedAt',
      'rotatedAt',
    ]);

    const second = await rotate(client);
    expect(second.feed.id).toBe(first.feed.id);
    expect(second.feed.rotatedAt).not.toBeNull();
    expect(second.url).not.toBe(first.url);

    const revoked = await api.ok<{ revokeMyCalendarFeed: Feed }>(REVOKE, {}, { token: client.accessToken });
    expect(revoked.revokeMyCalendarFeed).toMatchObject({ id: first.feed.id, revokedAt: expect.any(String) });
    expect(
      (await api.ok<{ myCalendarFeed: Feed | null }>(MINE, {}, { token: client.accessToken })).myCalendarFeed,
    ).toBeNull();
    expect(
      (await api.ok<{ revokeMyCalendarFeed: Feed | null }>(REVOKE, {}, { token: client.accessToken }))
        .revokeMyCalendarFeed,
    ).toBeNull();

    const fresh = await rotate(client);
    expect(fresh.feed.id).not.toBe(first.feed.id);
    expect(fresh.feed.rotatedAt).toBeNull();
  });

  it('is for people: clients, coaches and admins yes; API keys and partner tokens without GOALS_READ no', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    for (const session of [client, coach, firm.admin]) {
      const { url } = await rotate(session);
      expect(url).toMatch(URL_FORMAT);
      expect((await get(url)).status).toBe(200);
    }

    const everything = await createApiKey(api, firm, [
      'USERS_READ',
      'CLIENTS_ACT',
      'GOALS_READ',
      'CHECKINS_READ',
    ]);
    for (const query of [MINE, ROTATE, REVOKE]) {
      expect(errorCode(await api.gql(query, {}, { apiKey: everything.secret }))).toBe('FORBIDDEN');
    }

    const actAs = async (scopes: string[]) => {
      const key = await createApiKey(api, firm, scopes);
      const data = await api.ok<{ actAsClient: { accessToken: string } }>(
        ACT_AS_CLIENT,
        { clientId: client.user.id },
        { apiKey: key.secret },
      );
      return data.actAsClient.accessToken;
    };
    const withoutGoals = await actAs(['CLIENTS_ACT', 'CHECKINS_READ']);
    for (const query of [MINE, ROTATE, REVOKE]) {
      expect(errorCode(await api.gql(query, {}, { token: withoutGoals }))).toBe('FORBIDDEN');
    }
    const withGoals = await actAs(['CLIENTS_ACT', 'GOALS_READ']);
    const partner = await api.ok<{ rotateMyCalendarFeed: { url: string; feed: Feed } }>(
      ROTATE,
      {},
      { token: withGoals },
    );
    // The partner acts as the client: it is the client's own feed.
    const mine = await api.ok<{ myCalendarFeed: Feed }>(MINE, {}, { token: client.accessToken });
    expect(mine.myCalendarFeed.id).toBe(partner.rotateMyCalendarFeed.feed.id);

    for (const query of [MINE, ROTATE, REVOKE]) {
      expect(errorCode(await api.gql(query))).toBe('UNAUTHENTICATED');
    }
  });
});

describe('a client’s feed', () => {
  it('has their open tasks (with lead times and recurrences), pending check-ins and open goal targets', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const tenantId = firm.tenantId;
    const goalId = await insertGoalWith(
      tenantId,
      client.user.id,
      'Write better sales reports',
      'ACTIVE',
      daysFromToday(90),
    );
    const onHold = await insertGoalWith(
      tenantId,
      client.user.id,
      'Run a half marathon',
      'ON_HOLD',
      daysFromToday(120),
    );
    const achieved = await insertGoalWith(
      tenantId,
      client.user.id,
      'Finish the course',
      'ACHIEVED',
      daysFromToday(30),
    );
    const abandoned = await insertGoalWith(
      tenantId,
      client.user.id,
      'Learn the banjo',
      'ABANDONED',
      daysFromToday(40),
    );
    const undated = await insertGoalWith(tenantId, client.user.id, 'Be kinder', 'ACTIVE', null);

    const q1 = await createTask(api, coach, {
      goalId,
      title: 'Q1 report',
      notes: 'Survey enough clients first',
      startDate: daysFromToday(3),
      dueDate: daysFromToday(10),
    });
    const venue = await createTask(api, coach, {
      goalId,
      title: 'Book the venue',
      startDate: daysFromToday(5),
      dueDate: daysFromToday(5),
    });
    // A start that is not a Monday: the series must begin on the first Monday after it, not on the start.
    let weeklyStart = daysFromToday(1);
    while (weekday(weeklyStart) === 1) weeklyStart = daysFromToday(2);
    const weekly = await createTask(api, coach, {
      goalId,
      title: 'Meet the boss',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
      startDate: weeklyStart,
      dueDate: daysFromToday(45),
    });
    const habit = await createTask(api, client, {
      goalId,
      title: 'Give feedback',
      recurrence: 'FREQ=DAILY',
      countTarget: 3,
    });
    const done = await createTask(api, coach, { goalId, title: 'Already done', dueDate: daysFromToday(7) });
    const cancelled = await createTask(api, coach, {
      goalId,
      title: 'Not any more',
      dueDate: daysFromToday(8),
    });
    await api.dataSource.query(
      `UPDATE action_tasks SET status = 'DONE', completed_at = now() WHERE id = $1`,
      [done.id],
    );
    await api.dataSource.query(`UPDATE action_tasks SET status = 'CANCELLED' WHERE id = $1`, [cancelled.id]);

    await dailyCheckIns(coach, client.user.id, 'Evening pulse');
    const materialized: { id: string }[] = await api.dataSource.query(
      `SELECT id FROM check_ins WHERE client_id = $1 ORDER BY opens_at`,
      [client.user.id],
    );
    // Daily from tomorrow, 14 days ahead of now: 13 or 14 of them depending on the time of day.
    expect(materialized.length).toBeGreaterThanOrEqual(13);
    const [closed, excused] = materialized;
    await api.dataSource.query(
      `UPDATE check_ins SET opens_at = now() - interval '2 hours', closes_at = now() - interval '1 hour' WHERE id = $1`,
      [closed.id],
    );
    await api.dataSource.query(`UPDATE check_ins SET status = 'EXCUSED', excused_at = now() WHERE id = $1`, [
      excused.id,
    ]);

    // Someone else's plan in the same firm, by the same coach.
    const other = await createClient(api, coach, { displayName: 'Robin Roe' });
    const otherGoal = await insertGoalWith(tenantId, other.id, 'Robin’s goal', 'ACTIVE', daysFromToday(60));
    const otherTask = await createTask(api, coach, {
      goalId: otherGoal,
      title: 'Robin’s task',
      dueDate: daysFromToday(6),
    });
    await dailyCheckIns(coach, other.id, 'Robin’s pulse');

    const { url } = await rotate(client);
    const { vcalendar, events, byUid, uids, res } = await calendarOf(url);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    expect(vcalendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(vcalendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(vcalendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(vcalendar.getFirstPropertyValue('x-wr-calname')).toBe('Cairn — CLIENT person');
    expect(vcalendar.getFirstPropertyValue('x-wr-timezone')).toBe(ZONE);
    expect(vcalendar.getFirstPropertyValue('x-published-ttl')).toBe('PT1H');
    expect(String(vcalendar.getFirstPropertyValue('refresh-interval'))).toBe('PT1H');

    // One-off with lead time: a due event and a start event, all-day.
    const due = byUid.get(`task-${q1.id}@cairn`)!;
    expect(due.summary).toBe('Due: Q1 report');
    expect(due.startDate.isDate).toBe(true);
    expect(due.startDate.toString()).toBe(daysFromToday(10));
    expect(due.endDate.toString()).toBe(daysFromToday(11));
    expect(due.description).toContain('Write better sales reports');
    expect(due.description).toContain('Survey enough clients first');
    const start = byUid.get(`task-${q1.id}-start@cairn`)!;
    expect(start.summary).toBe('Start: Q1 report');
    expect(start.startDate.toString()).toBe(daysFromToday(3));
    expect(start.isRecurring()).toBe(false);
    // Start and due on the same day: only the due event.
    expect(byUid.get(`task-${venue.id}@cairn`)?.summary).toBe('Due: Book the venue');
    expect(uids).not.toContain(`task-${venue.id}-start@cairn`);

    // Recurring: one series, expanded by ical.js to exactly the task's own occurrences.
    const series = byUid.get(`task-${weekly.id}@cairn`)!;
    expect(series.isRecurring()).toBe(true);
    expect(series.startDate.isDate).toBe(true);
    const rule = series.component.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect(rule.freq).toBe('WEEKLY');
    expect(rule.until?.toString()).toBe(daysFromToday(45));
    const expected = occurrenceDates('FREQ=WEEKLY;BYDAY=MO', weeklyStart, weeklyStart, daysFromToday(45));
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(series.startDate.toString()).toBe(expected[0]);
    expect(expand(series)).toEqual(expected);
    const feedback = byUid.get(`task-${habit.id}@cairn`)!;
    expect(feedback.summary).toBe('Give feedback (×3)');
    expect(String(feedback.component.getFirstPropertyValue('rrule'))).toBe('FREQ=DAILY');
    expect(expand(feedback, 3)).toEqual([0, 1, 2].map((d) => daysFromToday(d)));
    expect(uids).not.toContain(`task-${done.id}@cairn`);
    expect(uids).not.toContain(`task-${cancelled.id}@cairn`);

    // Check-ins: exactly the PENDING ones that close in the future, as timed UTC events.
    const pending: { id: string; opens_at: Date; closes_at: Date }[] = await api.dataSource.query(
      `SELECT id, opens_at, closes_at FROM check_ins WHERE client_id = $1 AND status = 'PENDING' AND closes_at > now()`,
      [client.user.id],
    );
    const checkIns = events.filter((e) => e.uid.startsWith('checkin-'));
    expect(checkIns.map((e) => e.uid).sort()).toEqual(pending.map((p) => `checkin-${p.id}@cairn`).sort());
    expect(uids).not.toContain(`checkin-${closed.id}@cairn`);
    expect(uids).not.toContain(`checkin-${excused.id}@cairn`);
    for (const event of checkIns) {
      const row = pending.find((p) => event.uid === `checkin-${p.id}@cairn`)!;
      expect(event.summary).toBe('Check-in: Evening pulse');
      expect(event.startDate.isDate).toBe(false);
      expect(event.startDate.zone?.tzid).toBe('UTC');
      expect(event.startDate.toJSDate().getTime()).toBe(row.opens_at.getTime());
      expect(event.endDate.toJSDate().getTime()).toBe(row.closes_at.getTime());
    }

    // Goals with a target date that are still open.
    expect(byUid.get(`goal-${goalId}@cairn`)?.summary).toBe('Goal target: Write better sales reports');
    expect(byUid.get(`goal-${goalId}@cairn`)?.startDate.toString()).toBe(daysFromToday(90));
    expect(byUid.get(`goal-${onHold}@cairn`)?.startDate.isDate).toBe(true);
    for (const closedGoal of [achieved, abandoned, undated])
      expect(uids).not.toContain(`goal-${closedGoal}@cairn`);

    // Nothing of the other client's.
    expect(uids).not.toContain(`task-${otherTask.id}@cairn`);
    expect(uids).not.toContain(`goal-${otherGoal}@cairn`);
    expect(res.text).not.toContain('Robin');

    // Events carry versions, so calendar apps update rather than duplicate.
    expect(due.component.getFirstPropertyValue('sequence')).toBe(q1.version - 1);
    expect(due.component.getFirstPropertyValue('last-modified')).not.toBeNull();
    expect(String(due.component.getFirstPropertyValue('dtstamp'))).toMatch(/Z$/);
  });

  it('is well-formed text: CRLF line endings, folding that keeps characters whole, TEXT escaping', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goalId = await insertGoal(api, firm.tenantId, client.user.id, 'Écrire; mieux, vite\\bien');
    const title =
      'Préparer le rapport trimestriel — «Q1», avec données; chiffres \\ résumés — ✓ 日本語のタイトルもここに入れて長くする 😀 fin';
    const task = await createTask(api, coach, { goalId, title, dueDate: daysFromToday(4) });
    const { url } = await rotate(client);
    const res = await get(url);
    expect(res.status).toBe(200);

    // Every line ends with CRLF; no bare CR or LF anywhere.
    expect(res.text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(res.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // Each physical line is at most 75 octets and valid UTF-8 on its own: no character was cut by a fold.
    const strict = new TextDecoder('utf-8', { fatal: true });
    let from = 0;
    const physical: string[] = [];
    while (from < res.raw.length) {
      const end = res.raw.indexOf('\r\n', from);
      const bytes = res.raw.subarray(from, end);
      expect(bytes.length).toBeLessThanOrEqual(75);
      physical.push(strict.decode(bytes));
      from = end + 2;
    }
    const summaryAt = physical.findIndex((l) => l.startsWith('SUMMARY:Due: Préparer'));
    expect(physical[summaryAt + 1].startsWith(' ')).toBe(true);
    const unfolded = res.text.replace(/\r\n /g, '').split('\r\n');
    const escaped = title.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,');
    expect(unfolded).toContain(`SUMMARY:Due: ${escaped}`);
    expect(unfolded.find((l) => l.startsWith('DESCRIPTION:Goal:'))).toContain(
      'Goal: Écrire\\; mieux\\, vite\\\\bien',
    );

    const { byUid } = parse(res.text);
    expect(byUid.get(`task-${task.id}@cairn`)?.summary).toBe(`Due: ${title}`);
    expect(byUid.get(`task-${task.id}@cairn`)?.description.split('\n')[0]).toBe(
      'Goal: Écrire; mieux, vite\\bien',
    );
  });
});

describe('a coach’s feed', () => {
  it('covers exactly the clients they coach (active and paused, not archived), naming each client', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const admin = firm.admin;
    const make = async (displayName: string, by: Session) => {
      const c = await createClient(api, by, { displayName });
      const goal = await insertGoalWith(
        firm.tenantId,
        c.id,
        `${displayName}’s goal`,
        'ACTIVE',
        daysFromToday(50),
      );
      const task = await createTask(api, admin, {
        goalId: goal,
        title: `${displayName}’s task`,
        dueDate: daysFromToday(9),
      });
      return { id: c.id, goal, task: task.id };
    };
    const ownGoal = await insertGoalWith(
      firm.tenantId,
      client.user.id,
      'Speak up in meetings',
      'ACTIVE',
      daysFromToday(30),
    );
    const ownTask = await createTask(api, coach, {
      goalId: ownGoal,
      title: 'Prepare one point',
      dueDate: daysFromToday(2),
    });
    await dailyCheckIns(coach, client.user.id, 'Weekly pulse');
    const robin = await make('Robin Roe', coach);
    const paused = await make('Pat Paused', coach);
    const ended = await make('Eli Ended', coach);
    const archived = await make('Ari Archived', coach);
    const elsewhere = await make('Olga Other', otherCoach);
    await api.dataSource.query(`UPDATE engagements SET status = 'PAUSED' WHERE client_id = $1`, [paused.id]);
    await api.dataSource.query(
      `UPDATE engagements SET status = 'ENDED', ends_on = starts_on WHERE client_id = $1`,
      [ended.id],
    );
    await api.ok(
      `mutation ($input: ArchiveClientInput!) { archiveClient(input: $input) { id } }`,
      { input: { id: archived.id } },
      {
        token: admin.accessToken,
      },
    );

    // Another firm with a look-alike client and task.
    const rival = await coachingFirm(api);
    const rivalGoal = await insertGoalWith(
      rival.firm.tenantId,
      rival.client.user.id,
      'Speak up in meetings',
      'ACTIVE',
      daysFromToday(30),
    );
    const rivalTask = await createTask(api, rival.coach, {
      goalId: rivalGoal,
      title: 'Prepare one point',
      dueDate: daysFromToday(2),
    });

    const { url } = await rotate(coach);
    const { vcalendar, byUid, uids, summaries, res } = await calendarOf(url);
    expect(vcalendar.getFirstPropertyValue('x-wr-calname')).toBe('Cairn — COACH person');
    expect(byUid.get(`task-${ownTask.id}@cairn`)?.summary).toBe('CLIENT person — Due: Prepare one point');
    expect(byUid.get(`goal-${ownGoal}@cairn`)?.summary).toBe(
      'CLIENT person — Goal target: Speak up in meetings',
    );
    expect(
      summaries.filter((s) => s === 'CLIENT person — Check-in: Weekly pulse').length,
    ).toBeGreaterThanOrEqual(13);
    expect(byUid.get(`task-${robin.task}@cairn`)?.summary).toBe('Robin Roe — Due: Robin Roe’s task');
    expect(byUid.get(`goal-${robin.goal}@cairn`)?.summary).toBe('Robin Roe — Goal target: Robin Roe’s goal');
    expect(byUid.get(`task-${paused.task}@cairn`)?.summary).toBe('Pat Paused — Due: Pat Paused’s task');
    for (const gone of [ended, archived, elsewhere]) {
      expect(uids).not.toContain(`task-${gone.task}@cairn`);
      expect(uids).not.toContain(`goal-${gone.goal}@cairn`);
    }
    for (const name of ['Eli Ended', 'Ari Archived', 'Olga Other']) expect(res.text).not.toContain(name);
    expect(uids).not.toContain(`task-${rivalTask.id}@cairn`);
    expect(uids).not.toContain(`goal-${rivalGoal}@cairn`);

    // The rival firm's coach sees their own client only, none of ours.
    const rivalFeed = await calendarOf((await rotate(rival.coach)).url);
    expect(rivalFeed.uids.sort()).toEqual(
      [`goal-${rivalGoal}@cairn`, `task-${rivalTask.id}@cairn`, `task-${rivalTask.id}-start@cairn`].sort(),
    );
  });

  it('is built in the same number of SQL statements for one client as for four', async () => {
    const statementsFor = async (clients: number) => {
      const { firm, coach, client } = await coachingFirm(api);
      const ids = [client.user.id];
      for (let i = 1; i < clients; i++)
        ids.push((await createClient(api, coach, { displayName: `Client ${i}` })).id);
      for (const id of ids) {
        const goalId = await insertGoalWith(firm.tenantId, id, 'A goal', 'ACTIVE', daysFromToday(40));
        await createTask(api, coach, { goalId, title: 'One-off', dueDate: daysFromToday(5) });
        await createTask(api, coach, { goalId, title: 'Habit', recurrence: 'FREQ=WEEKLY;BYDAY=TU' });
        await dailyCheckIns(coach, id, 'Pulse');
      }
      const { url } = await rotate(coach);
      const qr = api.dataSource.createQueryRunner();
      const proto = Object.getPrototypeOf(qr);
      await qr.release();
      const spy = jest.spyOn(proto, 'query');
      try {
        const { events } = await calendarOf(url);
        return { statements: spy.mock.calls.length, events: events.length };
      } finally {
        spy.mockRestore();
      }
    };
    const one = await statementsFor(1);
    const four = await statementsFor(4);
    expect(four.events).toBeGreaterThan(3 * one.events);
    expect(four.statements).toBe(one.statements);
    // Token look-up, then one tenant transaction: the person, the access time, the caseload and its clients,
    // tasks, check-ins and goals (plus BEGIN/COMMIT and the tenant settings).
    expect(one.statements).toBeLessThanOrEqual(16);
  });

  it('for an admin, covers the clients they coach themselves, not the whole firm', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goal = await insertGoalWith(
      firm.tenantId,
      client.user.id,
      'Delegate more',
      'ACTIVE',
      daysFromToday(20),
    );
    const task = await createTask(api, coach, {
      goalId: goal,
      title: 'List what to hand over',
      dueDate: daysFromToday(3),
    });
    const { url } = await rotate(firm.admin);
    expect((await calendarOf(url)).events).toEqual([]);

    await engage(api, firm, client.user.id, firm.admin.user.id, false);
    const { byUid } = await calendarOf(url);
    expect(byUid.get(`task-${task.id}@cairn`)?.summary).toBe('CLIENT person — Due: List what to hand over');
  });
});

describe('the feed address', () => {
  it('stops working at once when rotated or revoked', async () => {
    const { client } = await coachingFirm(api);
    const first = await rotate(client);
    expect((await get(first.url)).status).toBe(200);
    const second = await rotate(client);
    expect((await get(first.url)).status).toBe(404);
    expect((await get(second.url)).status).toBe(200);
    await api.ok(REVOKE, {}, { token: client.accessToken });
    expect((await get(second.url)).status).toBe(404);
  });

  it('answers the same plain 404 for anything but a live feed’s current token', async () => {
    const { firm, client } = await coachingFirm(api);
    const rival = await coachingFirm(api);
    const { url } = await rotate(client);
    const rivalUrl = (await rotate(rival.client)).url;
    const [, id, secret] = URL_FORMAT.exec(url)!;
    const [, rivalId, rivalSecret] = URL_FORMAT.exec(rivalUrl)!;
    const wrongSecret = `${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`;

    const notFound = async (path: string) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text).toBe('Not found\n');
    };
    await notFound('/calendar/not-a-token.ics');
    await notFound(`/calendar/cal_${id}_${secret}`);
    await notFound(`/calendar/cal_${id}_${secret}.ics.ics`);
    await notFound(`/calendar/cak_${id}_${secret}.ics`);
    await notFound(`/calendar/cal_${id}_${secret.slice(1)}.ics`);
    await notFound(`/calendar/cal_${id}_${wrongSecret}.ics`);
    await notFound(`/calendar/cal_${randomUUID()}_${secret}.ics`);
    // Another firm's secret with this firm's feed id, and the other way round.
    await notFound(`/calendar/cal_${id}_${rivalSecret}.ics`);
    await notFound(`/calendar/cal_${rivalId}_${secret}.ics`);
    expect((await get(rivalUrl)).status).toBe(200);

    // A deactivated person's feed is gone too.
    expect((await get(url)).status).toBe(200);
    await api.ok(
      `mutation ($id: ID!) { deactivateUser(id: $id) { id } }`,
      { id: client.user.id },
      { token: firm.admin.accessToken },
    );
    await notFound(new URL(url).pathname);
  });

  it('has an ETag and answers a matching If-None-Match with 304 until the feed changes', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goalId = await insertGoal(api, firm.tenantId, client.user.id);
    await createTask(api, coach, { goalId, title: 'First step', dueDate: daysFromToday(3) });
    const { url } = await rotate(client);
    const first = await get(url);
    const etag = first.headers['etag'];
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect((await get(url)).headers['etag']).toBe(etag);

    const unchanged = await get(url, { 'If-None-Match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.raw.length).toBe(0);
    expect(unchanged.headers['etag']).toBe(etag);
    expect(unchanged.headers['cache-control']).toBe('private, max-age=300');
    expect((await get(url, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
    expect((await get(url, { 'If-None-Match': '"other"' })).status).toBe(200);

    await createTask(api, coach, { goalId, title: 'Second step', dueDate: daysFromToday(4) });
    const changed = await get(url, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(etag);
    expect(changed.text).toContain('Second step');
  });

  it('records when it was last fetched, at most once a minute', async () => {
    const { client } = await coachingFirm(api);
    const { url, feed } = await rotate(client);
    const lastAccess = async () =>
      (await api.ok<{ myCalendarFeed: Feed }>(MINE, {}, { token: client.accessToken })).myCalendarFeed
        .lastAccessedAt;
    await get(url);
    expect(await lastAccess()).not.toBeNull();

    await api.dataSource.query(
      `UPDATE calendar_feeds SET last_accessed_at = now() - interval '30 seconds' WHERE id = $1`,
      [feed.id],
    );
    const recent = await lastAccess();
    await get(url);
    expect(await lastAccess()).toBe(recent);

    await api.dataSource.query(
      `UPDATE calendar_feeds SET last_accessed_at = now() - interval '2 minutes' WHERE id = $1`,
      [feed.id],
    );
    const old = await lastAccess();
    await get(url);
    expect(new Date((await lastAccess())!).getTime()).toBeGreaterThan(new Date(old!).getTime());
  });
});

it('feeds are behind row-level security: a tenant transaction sees only its own firm’s', async () => {
  const a = await coachingFirm(api);
  const b = await coachingFirm(api);
  await rotate(a.client);
  await rotate(b.client);
  const [table] = await api.dataSource.query(
    `SELECT relrowsecurity FROM pg_class WHERE relname = 'calendar_feeds'`,
  );
  expect(table.relrowsecurity).toBe(true);
  const tenantDb = api.app.get(TenantDatabase);
  // No tenant filter in the statement: only the policy keeps firm B's rows out.
  const seen: { tenant_id: string }[] = await RequestContext.runAs({ tenantId: a.firm.tenantId }, () =>
    tenantDb.transaction((tx) => tx.manager.query(`SELECT tenant_id FROM calendar_feeds`)),
  );
  expect(seen.length).toBeGreaterThan(0);
  expect(new Set(seen.map((r) => r.tenant_id))).toEqual(new Set([a.firm.tenantId]));
});

it('a new coach without clients gets a valid, empty calendar', async () => {
  const firm = await signUpFirm(api);
  const coach = await addUser(api, firm, 'COACH');
  const { events, vcalendar } = await calendarOf((await rotate(coach)).url);
  expect(events).toEqual([]);
  expect(vcalendar.name).toBe('vcalendar');
});
