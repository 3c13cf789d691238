import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { NudgePlanner } from '#cairn/nudges';
import { assignOpenCheckIn, coachingFirm, testConfig } from '#cairn/shared/testing';
import { createTask, daysFromToday, insertGoal, shiftTaskDates } from './action-plan-fixtures.js';
import { TestApi } from './support/index.js';

/**
 * Every nudge rule, each firing when it should and staying silent when it should not (issue 13). The merged
 * message, the ledger's once-only keys, quiet hours, caps and opt-outs are nudges.e2e.spec.ts's; here each
 * case is its own firm and we read which items the run wrote to the ledger. No email is configured, so no
 * worker job is queued: the suite needs no Redis database of its own.
 */
const ZONE = 'Europe/London';

const CREATE_GOAL = `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`;
const ADD = `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { version } measure { id } } }`;
const RECORD = `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { measure { id } } }`;

let api: TestApi;
let planner: NudgePlanner;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig({ NUDGES_PAUSED: 'false' })));
  planner = api.app.get(NudgePlanner, { strict: false });
});
afterAll(() => api?.close());

/** Noon today in London: outside the default quiet hours whenever the suite runs; the run's "now". */
const noon = (days = 0) => DateTime.now().setZone(ZONE).plus({ days }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toJSDate();
const hoursBeforeNoon = (hours: number) => new Date(noon().getTime() - hours * 3_600_000);
let periods = 0;
const period = () => `rules${++periods}`;

/** Runs the firm's nudges at noon and returns the ledger's items of the client: rule and key. */
async function run(tenantId: string, clientId: string) {
  await planner.planTenant(tenantId, period(), noon());
  const rows: { rule: string; item_key: string }[] = await api.dataSource.query(
    `SELECT rule, item_key FROM nudge_items WHERE client_id = $1 ORDER BY item_key`,
    [clientId],
  );
  return rows;
}
const rulesOf = (items: { rule: string }[]) => items.map((i) => i.rule);

describe('CHECKIN_DUE_SOON', () => {
  async function openCheckIn() {
    const cast = await coachingFirm(api);
    await assignOpenCheckIn(api, cast.coach, cast.client.user.id, ZONE);
    const [checkIn] = await api.dataSource.query(`SELECT id FROM check_ins WHERE client_id = $1 ORDER BY opens_at LIMIT 1`, [
      cast.client.user.id,
    ]);
    return { ...cast, checkInId: checkIn.id as string };
  }

  it('fires for an open, unanswered check-in that closes within the next 24 hours', async () => {
    const { firm, client, checkInId } = await openCheckIn();
    expect(await run(firm.tenantId, client.user.id)).toContainEqual({ rule: 'CHECKIN_DUE_SOON', item_key: `checkin-due-soon:${checkInId}` });
  });

  it('stays silent for one that closes later than that, and for one already answered', async () => {
    const later = await openCheckIn();
    await api.dataSource.query(`UPDATE check_ins SET closes_at = $2 WHERE id = $1`, [later.checkInId, new Date(noon().getTime() + 30 * 3_600_000)]);
    expect(rulesOf(await run(later.firm.tenantId, later.client.user.id))).not.toContain('CHECKIN_DUE_SOON');
    const answered = await openCheckIn();
    await api.dataSource.query(`UPDATE check_ins SET status = 'SUBMITTED', submitted_at = $2 WHERE id = $1`, [
      answered.checkInId,
      hoursBeforeNoon(1),
    ]);
    expect(rulesOf(await run(answered.firm.tenantId, answered.client.user.id))).not.toContain('CHECKIN_DUE_SOON');
  });
});

describe('TASK_OVERDUE', () => {
  it('fires for an open task past its due date, and stays silent once it is done or while it is due today', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goalId = await insertGoal(api, firm.tenantId, client.user.id);
    const late = await createTask(api, coach, { goalId, title: 'Send the Q1 report', dueDate: daysFromToday(1) });
    await shiftTaskDates(api, late.id, -4);
    const done = await createTask(api, coach, { goalId, title: 'Book the venue', dueDate: daysFromToday(1) });
    await shiftTaskDates(api, done.id, -4);
    await api.dataSource.query(`UPDATE action_tasks SET status = 'DONE', completed_at = now() WHERE id = $1`, [done.id]);
    await createTask(api, coach, { goalId, title: 'Call the boss', startDate: daysFromToday(0), dueDate: daysFromToday(0) });
    const overdue = (await run(firm.tenantId, client.user.id)).filter((i) => i.rule === 'TASK_OVERDUE');
    expect(overdue).toEqual([{ rule: 'TASK_OVERDUE', item_key: `task-overdue:${late.id}:${daysFromToday(-3)}` }]);
  });
});

describe('GOAL_STALLED', () => {
  it('fires for an ACTIVE goal idle for 14 days, not for one with recent progress or one still DRAFT', async () => {
    const { firm, client } = await coachingFirm(api);
    const idle = await insertGoal(api, firm.tenantId, client.user.id, 'Become Sales Manager');
    const moving = await insertGoal(api, firm.tenantId, client.user.id, 'Run a half marathon');
    const draft = await insertGoal(api, firm.tenantId, client.user.id, 'Learn Spanish');
    await api.dataSource.query(`UPDATE goals SET created_at = $2::timestamptz - interval '20 days' WHERE id = ANY($1::uuid[])`, [
      [idle, moving, draft],
      noon(),
    ]);
    await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE' WHERE id = ANY($1::uuid[])`, [[idle, moving]]);
    const [measure] = await api.dataSource.query(
      `INSERT INTO goal_measures (tenant_id, goal_id, kind, title) VALUES ($1, $2, 'MILESTONE', 'Race booked') RETURNING id`,
      [firm.tenantId, moving],
    );
    await api.dataSource.query(
      `INSERT INTO progress_updates (tenant_id, measure_id, goal_id, value, occurred_on, occurred_at, recorded_by_user_id, created_at)
       VALUES ($1, $2, $3, 0, $4, $5, $6, $5)`,
      [firm.tenantId, measure.id, moving, daysFromToday(-2), hoursBeforeNoon(48), client.user.id],
    );
    const stalled = (await run(firm.tenantId, client.user.id)).filter((i) => i.rule === 'GOAL_STALLED');
    expect(stalled).toEqual([{ rule: 'GOAL_STALLED', item_key: expect.stringMatching(new RegExp(`^goal-stalled:${idle}:`)) }]);
  });
});

describe('TASK_STARTING', () => {
  it('fires on the start day of a task with lead time', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goalId = await insertGoal(api, firm.tenantId, client.user.id);
    const task = await createTask(api, coach, { goalId, title: 'Draft the Q1 report', startDate: daysFromToday(0), dueDate: daysFromToday(5) });
    expect(await run(firm.tenantId, client.user.id)).toEqual([{ rule: 'TASK_STARTING', item_key: `task-starting:${task.id}:${daysFromToday(0)}` }]);
  });

  it('stays silent before the start day, and for a task with no lead time (start = due)', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const goalId = await insertGoal(api, firm.tenantId, client.user.id);
    await createTask(api, coach, { goalId, title: 'Draft the Q2 report', startDate: daysFromToday(1), dueDate: daysFromToday(5) });
    await createTask(api, coach, { goalId, title: 'Send it', startDate: daysFromToday(3), dueDate: daysFromToday(3) });
    expect(rulesOf(await run(firm.tenantId, client.user.id))).not.toContain('TASK_STARTING');
  });
});

describe('CHECKIN_MISSED', () => {
  async function missedCheckIn(hoursAgo: number) {
    const cast = await coachingFirm(api);
    await assignOpenCheckIn(api, cast.coach, cast.client.user.id, ZONE);
    const [checkIn] = await api.dataSource.query(`SELECT id FROM check_ins WHERE client_id = $1 ORDER BY opens_at LIMIT 1`, [
      cast.client.user.id,
    ]);
    await api.dataSource.query(`UPDATE check_ins SET status = 'MISSED', missed_at = $2 WHERE id = $1`, [checkIn.id, hoursBeforeNoon(hoursAgo)]);
    return { ...cast, checkInId: checkIn.id as string };
  }

  it('fires for a check-in marked missed within the last two days', async () => {
    const { firm, client, checkInId } = await missedCheckIn(1);
    expect(await run(firm.tenantId, client.user.id)).toContainEqual({ rule: 'CHECKIN_MISSED', item_key: `checkin-missed:${checkInId}` });
  });

  it('stays silent for one missed three days ago (too late to be worth a word)', async () => {
    const { firm, client } = await missedCheckIn(72);
    expect(rulesOf(await run(firm.tenantId, client.user.id))).not.toContain('CHECKIN_MISSED');
  });
});

describe('GOAL_BEHIND (the pace model)', () => {
  /**
   * An ACTIVE goal started 80 days ago and due in `dueIn` days, with a NUMERIC measure 0 → 100 at 40 and 60
   * and 80 twenty, ten and one day ago — or at `values` — all recorded before the run.
   */
  async function activeGoal(dueIn: number, values: [number, number, number]) {
    const cast = await coachingFirm(api);
    const token = cast.coach.accessToken;
    const goal = (
      await api.ok<{ createGoal: { id: string; version: number } }>(
        CREATE_GOAL,
        { input: { clientId: cast.client.user.id, horizon: 'IMMEDIATE', category: 'SKILL', title: 'Call 100 prospects', targetDate: daysFromToday(dueIn) } },
        { token },
      )
    ).createGoal;
    const { addGoalMeasure } = await api.ok<{ addGoalMeasure: { measure: { id: string } } }>(
      ADD,
      { input: { goalId: goal.id, expectedVersion: goal.version, kind: 'NUMERIC', title: 'Prospects called', baseline: 0, target: 100, direction: 'INCREASE' } },
      { token },
    );
    for (const [ago, value] of [[20, values[0]], [10, values[1]], [1, values[2]]]) {
      await api.ok(RECORD, { input: { measureId: addGoalMeasure.measure.id, value, occurredOn: daysFromToday(-ago) } }, { token });
    }
    // Time passes: started 80 days ago, ACTIVE, the updates recorded before the run's noon.
    await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE', start_date = $2, created_at = created_at - interval '80 days' WHERE id = $1`, [
      goal.id,
      daysFromToday(-80),
    ]);
    await api.dataSource.query(`UPDATE goal_measures SET created_at = created_at - interval '80 days' WHERE goal_id = $1`, [goal.id]);
    await api.dataSource.query(`UPDATE progress_updates SET created_at = LEAST(created_at, $2), occurred_at = LEAST(occurred_at, $2) WHERE goal_id = $1`, [
      goal.id,
      hoursBeforeNoon(1),
    ]);
    return { ...cast, goalId: goal.id };
  }
  const week = () => DateTime.fromISO(daysFromToday(0)).toFormat("kkkk-'W'WW");

  it('fires for a goal due soon whose trend will not make it, saying why', async () => {
    // 1 a day recently, 80 to go in 20 days (4 a day needed): AT_RISK.
    const { firm, client, goalId } = await activeGoal(20, [2, 12, 21]);
    expect(await run(firm.tenantId, client.user.id)).toContainEqual({ rule: 'GOAL_BEHIND', item_key: `goal-behind:${goalId}:${week()}` });
    const [message] = await api.dataSource.query(`SELECT text_body FROM messages WHERE recipient_user_id = $1`, [client.user.id]);
    expect(message.text_body).toContain('“Call 100 prospects” is at risk with 20 days to go. Measure “Prospects called”: At risk');
    // Still behind on the next run: once a week at most.
    expect(rulesOf(await run(firm.tenantId, client.user.id)).filter((r) => r === 'GOAL_BEHIND')).toHaveLength(1);
    expect(await api.dataSource.query(`SELECT id FROM messages WHERE recipient_user_id = $1`, [client.user.id])).toHaveLength(1);
  });

  it('fires for a goal that stopped moving, though its level is above the straight line (the trend, not the line)', async () => {
    // 75 of 100 at 80% of the time: the straight line with its old 10-point slack said fine; flat for 20 days.
    const { firm, client, goalId } = await activeGoal(20, [75, 75, 75]);
    expect(await run(firm.tenantId, client.user.id)).toContainEqual({ rule: 'GOAL_BEHIND', item_key: `goal-behind:${goalId}:${week()}` });
    const [message] = await api.dataSource.query(`SELECT text_body FROM messages WHERE recipient_user_id = $1`, [client.user.id]);
    expect(message.text_body).toContain('no movement towards the target');
  });

  it('stays silent for a goal on pace, and for one behind whose target is beyond the policy’s horizon', async () => {
    // 2 a day recently, 22 to go in 20 days: on pace.
    const onPace = await activeGoal(20, [40, 60, 78]);
    expect(rulesOf(await run(onPace.firm.tenantId, onPace.client.user.id))).not.toContain('GOAL_BEHIND');
    // Behind, but due in 100 days: past goalBehindWithinDays (60 by default).
    const far = await activeGoal(100, [2, 12, 21]);
    expect(rulesOf(await run(far.firm.tenantId, far.client.user.id))).not.toContain('GOAL_BEHIND');
  });
});

describe('CELEBRATION', () => {
  it('fires for a goal achieved within two days, not for one achieved earlier', async () => {
    const { firm, client } = await coachingFirm(api);
    const recent = await insertGoal(api, firm.tenantId, client.user.id, 'Lead the Q3 pitch');
    const older = await insertGoal(api, firm.tenantId, client.user.id, 'Pass the sales exam');
    await api.dataSource.query(`UPDATE goals SET status = 'ACHIEVED', achieved_at = $2 WHERE id = $1`, [recent, hoursBeforeNoon(1)]);
    await api.dataSource.query(`UPDATE goals SET status = 'ACHIEVED', achieved_at = $2 WHERE id = $1`, [older, hoursBeforeNoon(72)]);
    expect(await run(firm.tenantId, client.user.id)).toEqual([{ rule: 'CELEBRATION', item_key: `celebrate-goal:${recent}` }]);
    const [message] = await api.dataSource.query(`SELECT subject FROM messages WHERE recipient_user_id = $1`, [client.user.id]);
    expect(message.subject).toBe('You achieved “Lead the Q3 pitch” — well done!');
  });

  it('fires for a milestone recorded done, not for one recorded not done', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const goal = (
      await api.ok<{ createGoal: { id: string; version: number } }>(
        CREATE_GOAL,
        { input: { clientId: client.user.id, horizon: 'IMMEDIATE', category: 'SKILL', title: 'Get the pipeline reviewed' } },
        { token },
      )
    ).createGoal;
    const add = async (title: string, version: number) =>
      (await api.ok<{ addGoalMeasure: { goal: { version: number }; measure: { id: string } } }>(
        ADD,
        { input: { goalId: goal.id, expectedVersion: version, kind: 'MILESTONE', title } },
        { token },
      )).addGoalMeasure;
    const done = await add('Review booked', goal.version);
    const notDone = await add('Review held', done.goal.version);
    await api.ok(RECORD, { input: { measureId: done.measure.id, value: 1 } }, { token });
    await api.ok(RECORD, { input: { measureId: notDone.measure.id, value: 0 } }, { token });
    await api.dataSource.query(`UPDATE progress_updates SET created_at = $2, occurred_at = $2 WHERE goal_id = $1`, [goal.id, hoursBeforeNoon(1)]);
    expect(await run(firm.tenantId, client.user.id)).toEqual([{ rule: 'CELEBRATION', item_key: `celebrate-milestone:${done.measure.id}` }]);
  });

  /** A daily habit started `days` days ago, logged at 18:00 on every one of those days. */
  async function streakOf(days: number) {
    const { firm, coach, client } = await coachingFirm(api);
    const goalId = await insertGoal(api, firm.tenantId, client.user.id, 'Build a morning routine');
    const habit = await createTask(api, coach, { goalId, title: 'Stretch for ten minutes', recurrence: 'FREQ=DAILY' });
    await shiftTaskDates(api, habit.id, -days);
    const at = (ago: number) => DateTime.fromJSDate(noon(-ago)).setZone(ZONE).set({ hour: 18 }).toJSDate();
    const agos = Array.from({ length: days }, (_, i) => days - i);
    await api.dataSource.query(
      `INSERT INTO task_completions (tenant_id, task_id, client_id, occurrence_on, count, created_at)
       SELECT $1, $2, $3, d, 1, t FROM unnest($4::date[], $5::timestamptz[]) AS w(d, t)`,
      [firm.tenantId, habit.id, client.user.id, agos.map((ago) => daysFromToday(-ago, ZONE)), agos.map(at)],
    );
    return { firm, client, habit };
  }

  it.each([30, 100])('fires once for a %i-day streak reached yesterday, naming only that milestone', async (days) => {
    const { firm, client, habit } = await streakOf(days);
    expect(await run(firm.tenantId, client.user.id)).toEqual([{ rule: 'CELEBRATION', item_key: `celebrate-streak:${habit.id}:${days}` }]);
    expect((await run(firm.tenantId, client.user.id)).length).toBe(1);
  });

  it('stays silent for a 29-day streak: its 7 was long ago and 30 is not reached yet', async () => {
    const { firm, client } = await streakOf(29);
    expect(rulesOf(await run(firm.tenantId, client.user.id))).not.toContain('CELEBRATION');
  });
});
