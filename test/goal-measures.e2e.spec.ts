import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import {
  ActiveGoalsService,
  activeGoalActivity,
  GoalCategory,
  GoalHorizon,
  GoalLoader,
  GoalProgressService,
  GoalService,
} from '#cairn/goals';
import { type Principal, Role } from '#cairn/shared/auth';
import { addDays, todayIn } from '#cairn/shared/calendar';
import { TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { coachingFirm, createApiKey, errorCode, type GqlResult, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const MEASURE_FIELDS = `id goalId kind title unit baseline target direction periodStart periodEnd periodMonths currentValue progress done`;
const CREATE = `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`;
const STATUS = `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id version status } }`;
const ADD = `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { id version } measure { ${MEASURE_FIELDS} } } }`;
const UPDATE = `mutation ($input: UpdateGoalMeasureInput!) { updateGoalMeasure(input: $input) { goal { id version } measure { ${MEASURE_FIELDS} } } }`;
const REMOVE = `mutation ($input: RemoveGoalMeasureInput!) { removeGoalMeasure(input: $input) { id version } }`;
const RECORD = `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) {
  progressUpdate { id value note occurredOn occurredAt recordedByUserId recordedByApiKeyId recordedBy { id } }
  measure { ${MEASURE_FIELDS} } goal { id progress } } }`;
const GOAL = `query ($id: ID!) { goal(id: $id) { id version progress
  measures { ${MEASURE_FIELDS} updates(last: 10) { value note occurredOn recordedBy { id } } }
  revisions { version action measureId changes { field previousValue newValue } } } }`;

type Measure = Record<string, unknown> & { id: string; progress: number; currentValue: number | null };
type GoalView = {
  id: string;
  version: number;
  progress: number | null;
  measures: (Measure & { updates: Record<string, unknown>[] })[];
  revisions: { version: number; action: string; measureId: string | null; changes: unknown[] }[];
};

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start(ApiModule.forRoot(testConfig()));
});
afterAll(() => api.close());

const today = () => todayIn('Europe/London');
const inDays = (n: number) => addDays(today(), n);
/** 12 months from `start` end the day before the same date a year on (2026-01-01 → 2026-12-31). */
function dayBeforeAYearOn(start: string): string {
  const [y, m, d] = start.split('-').map(Number);
  const sameDayNextYear = m === 2 && d === 29 ? `${y + 1}-02-28` : `${y + 1}-${start.slice(5)}`;
  return addDays(sameDayNextYear, -1);
}
const field = (result: GqlResult) =>
  (result.errors?.[0]?.extensions?.fields as { field: string }[] | undefined)?.[0]?.field;

async function counts(tenantId: string) {
  const [row] = await api.dataSource.query(
    `SELECT (SELECT count(*)::int FROM goals WHERE tenant_id = $1) AS goals,
            (SELECT count(*)::int FROM goal_revisions WHERE tenant_id = $1) AS revisions,
            (SELECT count(*)::int FROM goal_measures WHERE tenant_id = $1) AS measures,
            (SELECT count(*)::int FROM progress_updates WHERE tenant_id = $1) AS updates`,
    [tenantId],
  );
  return row as Record<string, number>;
}

async function newGoal(token: string, input: Record<string, unknown>) {
  const data = await api.ok<{ createGoal: { id: string; version: number } }>(
    CREATE,
    {
      input: { horizon: 'IMMEDIATE', category: 'SKILL', title: 'Improve my sales report writing', ...input },
    },
    { token },
  );
  return data.createGoal;
}

async function addMeasure(
  token: string,
  goal: { id: string; version: number },
  input: Record<string, unknown>,
) {
  const data = await api.ok<{ addGoalMeasure: { goal: { id: string; version: number }; measure: Measure } }>(
    ADD,
    { input: { goalId: goal.id, expectedVersion: goal.version, ...input } },
    { token },
  );
  goal.version = data.addGoalMeasure.goal.version;
  return data.addGoalMeasure.measure;
}

async function record(token: string, measureId: string, value: number, extra: Record<string, unknown> = {}) {
  const data = await api.ok<{
    recordProgress: {
      progressUpdate: Record<string, unknown>;
      measure: Measure;
      goal: { progress: number | null };
    };
  }>(RECORD, { input: { measureId, value, ...extra } }, { token });
  return data.recordProgress;
}

const view = async (token: string, id: string) =>
  (await api.ok<{ goal: GoalView }>(GOAL, { id }, { token })).goal;

describe('measures of each kind', () => {
  it('MILESTONE, NUMERIC, COUNT and PERCENTAGE derive their current value and progress from updates', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const goal = await newGoal(token, {
      clientId: client.user.id,
      startDate: inDays(-60),
      targetDate: inDays(300),
    });

    const milestone = await addMeasure(token, goal, {
      kind: 'MILESTONE',
      title: 'Boss confirms the Q1 report is better',
    });
    expect(milestone).toMatchObject({
      kind: 'MILESTONE',
      target: null,
      currentValue: 0,
      progress: 0,
      done: false,
    });

    // The seed's immediate goal: reports with a qualitative section, 0 → 4 per quarter.
    const reports = await addMeasure(token, goal, {
      kind: 'NUMERIC',
      title: 'Reports with a qualitative section per quarter',
      baseline: 0,
      target: 4,
      unit: 'reports',
    });
    expect(reports).toMatchObject({
      baseline: 0,
      target: 4,
      direction: 'INCREASE',
      unit: 'reports',
      currentValue: 0,
      progress: 0,
    });

    // Step 7: three professional conferences in the next twelve months (period from the goal's start).
    const conferences = await addMeasure(token, goal, {
      kind: 'COUNT',
      title: 'Professional conferences attended',
      target: 3,
      periodMonths: 12,
      unit: 'conferences',
    });
    expect(conferences).toMatchObject({
      periodStart: inDays(-60),
      periodMonths: 12,
      currentValue: 0,
      progress: 0,
    });
    expect(conferences.periodEnd).toBe(dayBeforeAYearOn(inDays(-60)));

    const surveyed = await addMeasure(token, goal, {
      kind: 'PERCENTAGE',
      title: 'Clients surveyed before each report',
      baseline: 20,
      target: 80,
    });
    expect(surveyed).toMatchObject({ direction: 'INCREASE', unit: null, currentValue: 20, progress: 0 });
    expect(goal.version).toBe(5);

    expect(
      (await record(token, milestone.id, 1, { note: 'Boss said the Q1 report was much better' })).measure,
    ).toMatchObject({ currentValue: 1, progress: 100, done: true });
    const first = await record(token, reports.id, 1, { occurredOn: inDays(-20) });
    expect(first.measure).toMatchObject({ currentValue: 1, progress: 25 });
    expect(first.progressUpdate).toMatchObject({
      value: 1,
      occurredOn: inDays(-20),
      recordedByUserId: coach.user.id,
      recordedByApiKeyId: null,
      recordedBy: { id: coach.user.id },
    });
    // A backfill happened on its day, not when it was typed in: at that day's end, where the client lives.
    expect(first.progressUpdate.occurredAt).toBe(
      DateTime.fromISO(inDays(-20), { zone: 'Europe/London' }).endOf('day').toJSDate().toISOString(),
    );
    const before = Date.now();
    const second = await record(token, reports.id, 2);
    const happened = Date.parse(second.progressUpdate.occurredAt as string);
    expect(happened >= before && happened <= Date.now()).toBe(true);
    // An update about an earlier day does not replace the latest level.
    expect(
      (await record(token, reports.id, 0, { occurredOn: inDays(-30), note: 'Backfilled' })).measure,
    ).toMatchObject({ currentValue: 2, progress: 50 });

    await record(token, conferences.id, 1, { occurredOn: inDays(-10), note: 'Sales Leaders Summit' });
    expect((await record(token, conferences.id, 1)).measure).toMatchObject({
      currentValue: 2,
      progress: 66.7,
    });
    expect((await record(token, surveyed.id, 50)).measure).toMatchObject({ currentValue: 50, progress: 50 });

    // Goal progress: the mean of its measures (100 + 50 + 66.67 + 50) / 4.
    const read = await view(token, goal.id);
    expect(read.progress).toBe(66.7);
    expect(read.measures.map((m) => m.kind)).toEqual(['MILESTONE', 'NUMERIC', 'COUNT', 'PERCENTAGE']);
    expect(read.measures[1].updates).toEqual([
      { value: 2, note: null, occurredOn: today(), recordedBy: { id: coach.user.id } },
      { value: 1, note: null, occurredOn: inDays(-20), recordedBy: { id: coach.user.id } },
      { value: 0, note: 'Backfilled', occurredOn: inDays(-30), recordedBy: { id: coach.user.id } },
    ]);
    // Recording progress is not an edit of the goal: no version bump, no revision.
    expect(read.version).toBe(5);
    expect(read.revisions.map((r) => r.action)).toEqual([
      'MEASURE_ADDED',
      'MEASURE_ADDED',
      'MEASURE_ADDED',
      'MEASURE_ADDED',
      'CREATED',
    ]);
    expect(read.revisions[1].changes).toEqual([
      {
        field: 'measure',
        previousValue: null,
        newValue: `COUNT "Professional conferences attended": 3 conferences from ${inDays(-60)} to ${conferences.periodEnd}`,
      },
    ]);

    // A milestone can be undone.
    expect((await record(token, milestone.id, 0)).measure).toMatchObject({ progress: 0, done: false });
  });

  it('DECREASE measures and the COUNT period', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const goal = await newGoal(token, {
      clientId: client.user.id,
      title: 'Deliver every quarterly report on time',
    });
    const late = await addMeasure(token, goal, {
      kind: 'NUMERIC',
      title: 'Days late per report',
      baseline: 10,
      target: 2,
      unit: 'days',
    });
    expect(late.direction).toBe('DECREASE');
    expect((await record(token, late.id, 4)).measure).toMatchObject({ currentValue: 4, progress: 75 });
    expect((await record(token, late.id, 12)).measure.progress).toBe(0);

    // No goal start date: the period starts today in the client's zone; 12 months end the day before a year on.
    const count = await addMeasure(token, goal, {
      kind: 'COUNT',
      title: 'Clients surveyed',
      target: 3,
      periodMonths: 12,
    });
    expect(count.periodStart).toBe(today());
    expect(count.periodEnd).toBe(dayBeforeAYearOn(today()));
    const before = await api.gql(
      RECORD,
      { input: { measureId: count.id, value: 1, occurredOn: inDays(-1) } },
      { token },
    );
    expect(errorCode(before)).toBe('BAD_USER_INPUT');
    expect(before.errors?.[0].message).toContain(`from ${today()}`);
    const future = await api.gql(
      RECORD,
      { input: { measureId: count.id, value: 1, occurredOn: inDays(1) } },
      { token },
    );
    expect(field(future)).toBe('occurredOn');
    expect((await record(token, count.id, 5)).measure).toMatchObject({
      currentValue: 5,
      progress: 100,
      done: true,
    });
  });
});

describe('derived goal progress', () => {
  it('rolls up from children, leaves out ABANDONED ones, counts ACHIEVED as 100, and is null with nothing to measure', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    await api.ok(
      `mutation { updateGoalPolicy(requiredCriteria: []) { isDefault } }`,
      {},
      { token: firm.admin.accessToken },
    );
    const token = coach.accessToken;
    const cso = await newGoal(token, {
      clientId: client.user.id,
      horizon: 'LONG_TERM',
      category: 'POSITION',
      title: 'Become Chief Sales Officer',
    });
    expect((await view(token, cso.id)).progress).toBeNull();
    const manager = await newGoal(token, {
      clientId: client.user.id,
      parentId: cso.id,
      horizon: 'MID_TERM',
      category: 'POSITION',
      title: 'Be promoted to Sales Manager',
    });
    const offer = await addMeasure(token, manager, {
      kind: 'MILESTONE',
      title: 'Sales Manager offer received',
    });
    const reports = await newGoal(token, {
      clientId: client.user.id,
      parentId: manager.id,
      title: 'Improve my sales report writing',
    });
    const quality = await addMeasure(token, reports, {
      kind: 'NUMERIC',
      title: 'Reports with a qualitative section',
      target: 4,
    });
    const surveys = await newGoal(token, {
      clientId: client.user.id,
      parentId: manager.id,
      title: 'Survey ten clients before each report',
    });
    const surveyed = await addMeasure(token, surveys, {
      kind: 'PERCENTAGE',
      title: 'Share of reports backed by ten surveys',
      target: 100,
    });
    await newGoal(token, {
      clientId: client.user.id,
      parentId: manager.id,
      title: 'Read two books on sales leadership',
    }); // nothing to measure: ignored

    await record(token, quality.id, 2); // reports 50
    await record(token, surveyed.id, 100); // surveys 100
    // manager: own offer 0, reports 50, surveys 100 → 50; cso: only manager → 50.
    const data = await api.ok<{
      goal: {
        progress: number;
        children: { id: string; progress: number; children: { id: string; progress: number | null }[] }[];
      };
    }>(
      `query ($id: ID!) { goal(id: $id) { progress children { id progress children { id progress } } } }`,
      { id: cso.id },
      { token },
    );
    expect(data.goal.progress).toBe(50);
    expect(data.goal.children[0].progress).toBe(50);
    expect(data.goal.children[0].children.map((c) => c.progress)).toEqual([50, 100, null]);

    // Abandoning the survey goal takes it out of its parent's progress: (0 + 50) / 2.
    await api.ok(
      STATUS,
      {
        input: {
          id: surveys.id,
          expectedVersion: surveys.version,
          status: 'ABANDONED',
          reason: 'Boss prefers fewer, deeper surveys',
        },
      },
      { token },
    );
    expect((await view(token, manager.id)).progress).toBe(25);
    // Achieving the report goal makes it 100 whatever its measure says: (0 + 100) / 2.
    await api.ok(
      STATUS,
      { input: { id: reports.id, expectedVersion: reports.version, status: 'ACTIVE' } },
      { token },
    );
    await api.ok(
      STATUS,
      { input: { id: reports.id, expectedVersion: reports.version + 1, status: 'ACHIEVED' } },
      { token },
    );
    expect((await view(token, manager.id)).progress).toBe(50);
    await record(token, offer.id, 1);
    expect((await view(token, cso.id)).progress).toBe(100);
  });

  it('progressOf and activeGoalActivity as of an earlier instant: updates, measures, statuses and children as they stood then', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    await api.ok(
      `mutation { updateGoalPolicy(requiredCriteria: []) { isDefault } }`,
      {},
      { token: firm.admin.accessToken },
    );
    const token = coach.accessToken;
    const version = async (id: string) => (await view(token, id)).version;
    const status = async (id: string, to: string) =>
      api.ok(STATUS, { input: { id, expectedVersion: await version(id), status: to } }, { token });

    // Then: the parent's own measures 5 of 10 (50) and a milestone done (100); child A at 100; child B at 50.
    const parent = await newGoal(token, {
      clientId: client.user.id,
      horizon: 'MID_TERM',
      title: 'Be promoted to Sales Manager',
    });
    const deals = await addMeasure(token, parent, { kind: 'NUMERIC', title: 'Deals closed', target: 10 });
    const offer = await addMeasure(token, parent, { kind: 'MILESTONE', title: 'Offer received' });
    const a = await newGoal(token, {
      clientId: client.user.id,
      parentId: parent.id,
      title: 'Survey ten clients',
    });
    const surveyed = await addMeasure(token, a, { kind: 'PERCENTAGE', title: 'Surveyed', target: 100 });
    const b = await newGoal(token, {
      clientId: client.user.id,
      parentId: parent.id,
      title: 'Improve my sales report writing',
    });
    const quality = await addMeasure(token, b, { kind: 'NUMERIC', title: 'Qualitative sections', target: 4 });
    await record(token, deals.id, 5);
    await record(token, offer.id, 1);
    await record(token, surveyed.id, 100);
    await record(token, quality.id, 2);
    await status(parent.id, 'ACTIVE');
    await status(b.id, 'ACTIVE');
    for (const table of ['goals', 'goal_measures', 'progress_updates', 'goal_revisions']) {
      // Updates recorded a day earlier also happened a day earlier.
      const happened = table === 'progress_updates' ? `, occurred_at = occurred_at - interval '1 day'` : '';
      await api.dataSource.query(
        `UPDATE ${table} SET created_at = created_at - interval '1 day'${happened} WHERE tenant_id = $1`,
        [firm.tenantId],
      );
    }
    const asOf = new Date(Date.now() - 12 * 3_600_000);

    // Since: 8 deals against a target raised to 20 (40), the milestone removed, a new one not done (0), A
    // abandoned, B achieved (100), a new child C at 100, and the parent renamed.
    await record(token, deals.id, 8);
    const raised = await api.ok<{ updateGoalMeasure: { goal: { version: number } } }>(
      UPDATE,
      {
        input: {
          measureId: deals.id,
          expectedVersion: await version(parent.id),
          target: 20,
          reason: 'New quota',
        },
      },
      { token },
    );
    expect(raised.updateGoalMeasure.goal.version).toBeGreaterThan(1);
    await api.ok(
      REMOVE,
      { input: { measureId: offer.id, expectedVersion: await version(parent.id) } },
      { token },
    );
    await addMeasure(
      token,
      { id: parent.id, version: await version(parent.id) },
      { kind: 'MILESTONE', title: 'Boss signs off' },
    );
    await status(a.id, 'ABANDONED');
    await status(b.id, 'ACHIEVED');
    const c = await newGoal(token, {
      clientId: client.user.id,
      parentId: parent.id,
      title: 'Read two books on leadership',
    });
    await record(
      token,
      (await addMeasure(token, c, { kind: 'PERCENTAGE', title: 'Read', target: 100 })).id,
      100,
    );
    await api.ok(
      `mutation ($input: UpdateGoalInput!) { updateGoal(input: $input) { id } }`,
      {
        input: {
          id: parent.id,
          expectedVersion: await version(parent.id),
          title: 'Be promoted to Head of Sales',
        },
      },
      { token },
    );

    const tenantDb = api.app.get(TenantDatabase);
    const progress = api.app.get(GoalProgressService);
    const inFirm = <T>(work: (tx: TenantTransaction) => Promise<T>) =>
      RequestContext.runAs({ tenantId: firm.tenantId, userId: coach.user.id }, () =>
        tenantDb.transaction(work),
      );
    const ids = [parent.id, a.id, b.id, c.id];

    // Now: (40 + 0 + 100 + 100) / 4, as the API shows it.
    const now = await inFirm((tx) => progress.progressOf(tx, ids));
    expect(ids.map((id) => now.get(id))).toEqual([60, 100, 100, 100]);
    expect((await view(token, parent.id)).progress).toBe(60);
    // Then: (50 + 100 + 100 + 50) / 4; C did not exist.
    const then = await inFirm((tx) => progress.progressOf(tx, ids, { asOf }));
    expect(ids.map((id) => then.get(id))).toEqual([75, 100, 50, null]);
    // Before anything was recorded: nothing to measure.
    const before = await inFirm((tx) =>
      progress.progressOf(tx, ids, { asOf: new Date(Date.now() - 3 * 86_400_000) }),
    );
    expect(ids.map((id) => before.get(id))).toEqual([null, null, null, null]);

    const active = (at?: Date) =>
      inFirm(async (tx) =>
        (await activeGoalActivity(tx, [client.user.id], at ? { asOf: at } : {})).map((g) => [
          g.id,
          g.title,
          g.last_activity <= asOf,
        ]),
      );
    expect(await active()).toEqual([[parent.id, 'Be promoted to Head of Sales', false]]);
    expect(await active(asOf)).toEqual([
      [parent.id, 'Be promoted to Sales Manager', true],
      [b.id, 'Improve my sales report writing', true],
    ]);
  });

  it('GoalProgressService.progressOf costs the same statements for one goal or a whole caseload; dashboard helpers', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    await api.ok(
      `mutation { updateGoalPolicy(requiredCriteria: []) { isDefault } }`,
      {},
      { token: firm.admin.accessToken },
    );
    const token = coach.accessToken;
    const ids: string[] = [];
    let parent: string | undefined;
    for (let i = 0; i < 5; i++) {
      const g = await newGoal(token, {
        clientId: client.user.id,
        parentId: parent,
        horizon: 'IMMEDIATE',
        title: `Write quarterly report number ${i + 1}`,
      });
      const m = await addMeasure(token, g, { kind: 'NUMERIC', title: 'Qualitative sections', target: 4 });
      await record(token, m.id, 4 - (i % 4));
      ids.push(g.id);
      parent = g.id;
    }
    await api.ok(STATUS, { input: { id: ids[0], expectedVersion: 2, status: 'ACTIVE' } }, { token });

    const tenantDb = api.app.get(TenantDatabase);
    const progress = api.app.get(GoalProgressService);
    const activeGoals = api.app.get(ActiveGoalsService);
    const asFirm = <T>(work: () => Promise<T>) =>
      RequestContext.runAs({ tenantId: firm.tenantId, userId: coach.user.id }, work);
    const spy = jest.spyOn(Object.getPrototypeOf(api.dataSource.createQueryRunner()), 'query');
    spy.mockClear();
    const one = await asFirm(() => tenantDb.transaction((tx) => progress.progressOf(tx, [ids[4]])));
    const oneCount = spy.mock.calls.length;
    spy.mockClear();
    const all = await asFirm(() => tenantDb.transaction((tx) => progress.progressOf(tx, ids)));
    const allCount = spy.mock.calls.length;
    spy.mockRestore();
    expect(allCount).toBe(oneCount);
    // Leaf: 4 - 0 = 4 of 4 → 100. Chain upwards: each goal averages its own measure and its child.
    expect(one.get(ids[4])).toBe(100);
    expect([...all.keys()]).toEqual(ids);
    const own = [100, 75, 50, 25, 100];
    let expected = own[4];
    for (let i = 3; i >= 0; i--) {
      expected = (own[i] + expected) / 2;
      expect(all.get(ids[i])).toBeCloseTo(expected, 1);
    }
    // The request loader's figure, as the firm's admin sees it (every goal here is shared): the same.
    const admin: Principal = {
      kind: 'user',
      tenantId: firm.tenantId,
      userId: firm.admin.user.id,
      role: Role.ADMIN,
      scopes: null,
    };
    const viaLoader = await asFirm(() =>
      Promise.all(
        ids.map(async (id) => progress.load(admin, (await api.app.get(GoalLoader).goal(admin, id))!)),
      ),
    );
    expect(viaLoader).toEqual(ids.map((id) => all.get(id)));

    const active = await asFirm(() =>
      tenantDb.transaction((tx) =>
        activeGoals.ofClients(tx, [client.user.id, coach.user.id], { kind: 'firm' }),
      ),
    );
    expect(active.get(client.user.id)?.map((a) => a.goal.id)).toEqual([ids[0]]);
    expect(active.get(client.user.id)?.map((a) => a.progress)).toEqual([all.get(ids[0])]);
    expect(active.get(coach.user.id)).toEqual([]);
  });

  it('GoalService.createInTx writes the goal and its revision in the caller’s transaction, and nothing when it rolls back', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const tenantDb = api.app.get(TenantDatabase);
    const goals = api.app.get(GoalService);
    const principal: Principal = {
      kind: 'user',
      tenantId: firm.tenantId,
      userId: coach.user.id,
      role: Role.COACH,
      scopes: null,
    };
    const input = {
      clientId: client.user.id,
      horizon: GoalHorizon.IMMEDIATE,
      category: GoalCategory.TRAINING,
      title: 'Complete a leader-coach course',
    };
    const asFirm = <T>(work: () => Promise<T>) =>
      RequestContext.runAs({ tenantId: firm.tenantId, userId: coach.user.id }, work);
    await expect(
      asFirm(() =>
        tenantDb.transaction(async (tx) => {
          await goals.createInTx(tx, principal, input);
          throw new Error('the development item could not be linked');
        }),
      ),
    ).rejects.toThrow('could not be linked');
    expect(await counts(firm.tenantId)).toMatchObject({ goals: 0, revisions: 0 });
    const goal = await asFirm(() => tenantDb.transaction((tx) => goals.createInTx(tx, principal, input)));
    expect(goal).toMatchObject({
      status: 'DRAFT',
      version: 1,
      proposedBy: 'COACH',
      createdByUserId: coach.user.id,
    });
    expect(await counts(firm.tenantId)).toMatchObject({ goals: 1, revisions: 1 });
  });
});

describe('changing and removing measures', () => {
  it('updates record each changed field; removal keeps history; both bump the version', async () => {
    const { coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const goal = await newGoal(token, { clientId: client.user.id });
    const reports = await addMeasure(token, goal, {
      kind: 'NUMERIC',
      title: 'Reports with a qualitative section',
      target: 4,
      unit: 'reports',
    });
    await record(token, reports.id, 2);
    const updated = await api.ok<{ updateGoalMeasure: { goal: { version: number }; measure: Measure } }>(
      UPDATE,
      {
        input: {
          measureId: reports.id,
          expectedVersion: 2,
          target: 8,
          unit: null,
          reason: 'Monthly instead of quarterly',
        },
      },
      { token },
    );
    expect(updated.updateGoalMeasure.goal.version).toBe(3);
    expect(updated.updateGoalMeasure.measure).toMatchObject({
      target: 8,
      unit: null,
      currentValue: 2,
      progress: 25,
    });
    // A lower target than the baseline flips the direction when none is given; a contradicting one is refused.
    const flip = await api.gql(
      UPDATE,
      { input: { measureId: reports.id, expectedVersion: 3, target: -1, direction: 'INCREASE' } },
      { token },
    );
    expect(field(flip)).toBe('direction');
    const stale = await api.gql(
      UPDATE,
      { input: { measureId: reports.id, expectedVersion: 2, target: 6 } },
      { token },
    );
    expect(errorCode(stale)).toBe('CONFLICT');
    const kindless = await api.gql(
      UPDATE,
      { input: { measureId: reports.id, expectedVersion: 3, periodMonths: 12 } },
      { token },
    );
    expect(field(kindless)).toBe('periodMonths');
    const noop = await api.ok<{ updateGoalMeasure: { goal: { version: number } } }>(
      UPDATE,
      { input: { measureId: reports.id, expectedVersion: 3, target: 8 } },
      { token },
    );
    expect(noop.updateGoalMeasure.goal.version).toBe(3);

    const removed = await api.ok<{ removeGoalMeasure: { version: number } }>(
      REMOVE,
      { input: { measureId: reports.id, expectedVersion: 3, reason: 'Boss feedback replaces the count' } },
      { token },
    );
    expect(removed.removeGoalMeasure.version).toBe(4);
    const read = await view(token, goal.id);
    expect(read.measures).toEqual([]);
    expect(read.progress).toBeNull();
    expect(read.revisions.slice(0, 2)).toEqual([
      {
        version: 4,
        action: 'MEASURE_REMOVED',
        measureId: reports.id,
        changes: [
          {
            field: 'measure',
            previousValue: 'NUMERIC "Reports with a qualitative section": 0 → 8 (INCREASE)',
            newValue: null,
          },
        ],
      },
      {
        version: 3,
        action: 'MEASURE_UPDATED',
        measureId: reports.id,
        changes: [
          { field: 'measure.unit', previousValue: 'reports', newValue: null },
          { field: 'measure.target', previousValue: '4', newValue: '8' },
        ],
      },
    ]);
    // The removed measure is gone for every write; its updates stay in the table.
    expect(errorCode(await api.gql(RECORD, { input: { measureId: reports.id, value: 3 } }, { token }))).toBe(
      'NOT_FOUND',
    );
    expect(
      errorCode(await api.gql(REMOVE, { input: { measureId: reports.id, expectedVersion: 4 } }, { token })),
    ).toBe('NOT_FOUND');
    const [kept] = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM progress_updates WHERE measure_id = $1`,
      [reports.id],
    );
    expect(kept.n).toBe(1);
  });
});

describe('who may record progress', () => {
  it('the client on their own goals; outsiders get NOT_FOUND; API keys need GOALS_WRITE', async () => {
    const { firm, coach, otherCoach, client } = await coachingFirm(api);
    const goal = await newGoal(coach.accessToken, { clientId: client.user.id });
    const measure = await addMeasure(coach.accessToken, goal, {
      kind: 'MILESTONE',
      title: 'Q1 report delivered a week early',
    });
    const own = await record(client.accessToken, measure.id, 1, { note: 'Done on Tuesday' });
    expect(own.progressUpdate).toMatchObject({
      recordedByUserId: client.user.id,
      recordedBy: { id: client.user.id },
    });
    // A client may also add measures to their own goal.
    await addMeasure(client.accessToken, goal, {
      kind: 'COUNT',
      title: 'Clients surveyed',
      target: 10,
      periodMonths: 3,
    });

    const other = await coachingFirm(api);
    const otherGoal = await newGoal(other.coach.accessToken, { clientId: other.client.user.id });
    const otherMeasure = await addMeasure(other.coach.accessToken, otherGoal, {
      kind: 'MILESTONE',
      title: 'Other firm milestone',
    });
    const before = await counts(firm.tenantId);
    for (const token of [
      otherCoach.accessToken,
      other.coach.accessToken,
      other.firm.admin.accessToken,
      other.client.accessToken,
    ]) {
      expect(
        errorCode(await api.gql(RECORD, { input: { measureId: measure.id, value: 1 } }, { token })),
      ).toBe('NOT_FOUND');
      expect(
        errorCode(
          await api.gql(
            UPDATE,
            { input: { measureId: measure.id, expectedVersion: goal.version, title: 'Hijacked' } },
            { token },
          ),
        ),
      ).toBe('NOT_FOUND');
    }
    expect(
      errorCode(
        await api.gql(
          RECORD,
          { input: { measureId: otherMeasure.id, value: 1 } },
          { token: client.accessToken },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(await counts(firm.tenantId)).toEqual(before);

    const reader = await createApiKey(api, firm, ['GOALS_READ']);
    const writer = await createApiKey(api, firm, ['GOALS_WRITE', 'GOALS_READ']);
    expect(
      errorCode(
        await api.gql(RECORD, { input: { measureId: measure.id, value: 1 } }, { apiKey: reader.secret }),
      ),
    ).toBe('FORBIDDEN');
    const byKey = await api.ok<{ recordProgress: { progressUpdate: Record<string, unknown> } }>(
      RECORD,
      { input: { measureId: measure.id, value: 0 } },
      { apiKey: writer.secret },
    );
    expect(byKey.recordProgress.progressUpdate).toMatchObject({
      recordedByUserId: null,
      recordedByApiKeyId: writer.id,
      recordedBy: null,
    });
  });
});

describe('bad measure input writes nothing', () => {
  it('rejects values, lengths and definitions that do not fit, leaving no measure, update or revision', async () => {
    const { firm, coach, client } = await coachingFirm(api);
    const token = coach.accessToken;
    const goal = await newGoal(token, { clientId: client.user.id });
    const milestone = await addMeasure(token, goal, { kind: 'MILESTONE', title: 'Boss sign-off' });
    const percent = await addMeasure(token, goal, {
      kind: 'PERCENTAGE',
      title: 'Clients surveyed',
      target: 80,
    });
    const count = await addMeasure(token, goal, {
      kind: 'COUNT',
      title: 'Conferences',
      target: 3,
      periodMonths: 12,
    });
    const before = await counts(firm.tenantId);

    const adds: [Record<string, unknown>, string][] = [
      [{ kind: 'NUMERIC', title: 'No target' }, 'target'],
      [{ kind: 'NUMERIC', title: 'Flat', baseline: 3, target: 3 }, 'target'],
      [{ kind: 'NUMERIC', title: 'Wrong way', baseline: 0, target: 4, direction: 'DECREASE' }, 'direction'],
      [{ kind: 'PERCENTAGE', title: 'Too much', target: 120 }, 'target'],
      [{ kind: 'COUNT', title: 'No period', target: 3 }, 'periodMonths'],
      [{ kind: 'COUNT', title: 'Half', target: 2.5, periodMonths: 12 }, 'target'],
      [{ kind: 'COUNT', title: 'Long', target: 2, periodMonths: 121 }, 'periodMonths'],
      [{ kind: 'MILESTONE', title: 'With target', target: 1 }, 'target'],
      [{ kind: 'MILESTONE', title: 'x'.repeat(201) }, 'title'],
      [{ kind: 'NUMERIC', title: 'Long unit', target: 4, unit: 'x'.repeat(41) }, 'unit'],
      [{ kind: 'NUMERIC', title: 'Huge', target: 1e13 }, 'target'],
      [{ kind: 'MILESTONE', title: 'Long reason', reason: 'x'.repeat(501) }, 'reason'],
    ];
    for (const [input, expected] of adds) {
      const result = await api.gql(
        ADD,
        { input: { goalId: goal.id, expectedVersion: goal.version, ...input } },
        { token },
      );
      expect({ input, code: errorCode(result), field: field(result) }).toEqual({
        input,
        code: 'BAD_USER_INPUT',
        field: expected,
      });
    }
    const records: [string, Record<string, unknown>, string][] = [
      [milestone.id, { value: 0.5 }, 'value'],
      [percent.id, { value: 101 }, 'value'],
      [count.id, { value: 0 }, 'value'],
      [count.id, { value: 1.5 }, 'value'],
      [milestone.id, { value: 1, note: 'x'.repeat(1001) }, 'note'],
      [milestone.id, { value: 1, occurredOn: inDays(2) }, 'occurredOn'],
      [milestone.id, { value: 1, occurredOn: '2026-13-01' }, 'occurredOn'],
      ['not-a-uuid', { value: 1 }, 'measureId'],
    ];
    for (const [measureId, input, expected] of records) {
      const result = await api.gql(RECORD, { input: { measureId, ...input } }, { token });
      expect({ input, code: errorCode(result) }).toEqual({ input, code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(result.errors)).toContain(expected);
    }
    expect(await counts(firm.tenantId)).toEqual(before);
    expect((await view(token, goal.id)).version).toBe(goal.version);
  });
});
