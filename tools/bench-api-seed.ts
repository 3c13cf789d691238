import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { addDays, todayIn } from '#cairn/shared/calendar';

/**
 * The data `npm run bench:api` measures against. The measured firm and the light firms are built through the
 * public GraphQL API (same validation, tenancy and revisions as any integrator); only what the API refuses on
 * purpose (a due date in the past, check-ins already open, thousands of background firms) is written in SQL.
 */
export type Gql = <T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) => Promise<T>;

export const PASSWORD = 'bench-password-long-enough';
const TZ = 'Europe/London';

export interface MeasuredFirm {
  tenantId: string;
  coachToken: string;
  /** The client with a login: the goal tree and the check-ins are theirs. */
  clientToken: string;
  clientId: string;
  assignmentId: string;
}

/** `work` over `items`, `limit` at a time. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<unknown>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

export function graphqlClient(url: string): Gql {
  return async (query, variables = {}, token) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data as never;
  };
}

type Session = { accessToken: string; user: { id: string } };
const SESSION = 'accessToken user { id }';

async function signUp(gql: Gql, slug: string): Promise<{ admin: Session; tenantId: string }> {
  const { signUpFirm } = await gql<{ signUpFirm: Session }>(
    `mutation ($input: SignUpFirmInput!) { signUpFirm(input: $input) { ${SESSION} } }`,
    {
      input: {
        firmName: `Bench ${slug}`,
        firmSlug: slug,
        timezone: TZ,
        adminName: 'Bench Admin',
        adminEmail: `admin@${slug}.test`,
        adminPassword: PASSWORD,
      },
    },
  );
  const { firm } = await gql<{ firm: { id: string } }>(`{ firm { id } }`, {}, signUpFirm.accessToken);
  return { admin: signUpFirm, tenantId: firm.id };
}

async function accept(gql: Gql, token: string): Promise<Session> {
  const data = await gql<{ acceptInvitation: Session }>(
    `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${SESSION} } }`,
    { input: { token, password: PASSWORD } },
  );
  return data.acceptInvitation;
}

async function inviteCoach(gql: Gql, admin: Session, slug: string): Promise<Session> {
  const { inviteUser } = await gql<{ inviteUser: { token: string } }>(
    `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
    { input: { email: `coach@${slug}.test`, displayName: 'Bench Coach', role: 'COACH' } },
    admin.accessToken,
  );
  return accept(gql, inviteUser.token);
}

async function createClient(gql: Gql, coach: Session, name: string): Promise<string> {
  const { createClient } = await gql<{ createClient: { id: string } }>(
    `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
    {
      input: {
        email: `${randomUUID().slice(0, 8)}@client.test`,
        displayName: name,
        jobTitle: 'Sales Representative',
      },
    },
    coach.accessToken,
  );
  return createClient.id;
}

interface GoalSpec {
  clientId: string;
  title: string;
  horizon: 'LONG_TERM' | 'MID_TERM' | 'IMMEDIATE';
  targetDate: string;
  parentId?: string;
  measure: { kind: 'PERCENTAGE' | 'NUMERIC' | 'MILESTONE'; title: string; target?: number; unit?: string };
  progress: number[];
}

/** An ACTIVE goal meeting every SMART criterion, with one measure and `progress` recorded on it. */
async function activeGoal(
  gql: Gql,
  token: string,
  spec: GoalSpec,
): Promise<{ goalId: string; measureId: string }> {
  const { createGoal } = await gql<{ createGoal: { id: string; version: number } }>(
    `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`,
    {
      input: {
        clientId: spec.clientId,
        parentId: spec.parentId,
        horizon: spec.horizon,
        category: 'SKILL',
        title: spec.title,
        priority: 2,
        targetDate: spec.targetDate,
        why: { motivation: 'Needed for the next role', values: ['Growth'] },
        attainabilityNotes: 'Start each piece a week earlier',
        challengeLevel: 'STRETCH',
      },
    },
    token,
  );
  const numeric = spec.measure.kind !== 'MILESTONE';
  const { addGoalMeasure } = await gql<{
    addGoalMeasure: { goal: { version: number }; measure: { id: string } };
  }>(
    `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { version } measure { id } } }`,
    {
      input: {
        goalId: createGoal.id,
        expectedVersion: createGoal.version,
        kind: spec.measure.kind,
        title: spec.measure.title,
        ...(numeric ? { baseline: 0, target: spec.measure.target ?? 100, unit: spec.measure.unit } : {}),
      },
    },
    token,
  );
  await gql(
    `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id } }`,
    { input: { id: createGoal.id, expectedVersion: addGoalMeasure.goal.version, status: 'ACTIVE' } },
    token,
  );
  for (const value of spec.progress) {
    await gql(
      `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { progressUpdate { id } } }`,
      { input: { measureId: addGoalMeasure.measure.id, value } },
      token,
    );
  }
  return { goalId: createGoal.id, measureId: addGoalMeasure.measure.id };
}

async function task(gql: Gql, token: string, input: Record<string, unknown>): Promise<void> {
  await gql(
    `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { id } }`,
    { input },
    token,
  );
}

/**
 * A caseload client: two ACTIVE goals with measures and progress, a one-off task due soon, one to be made
 * overdue (`overdueSql`), a weekly habit never done (overdue) and a thrice-weekly one starting today, and a
 * weekly check-in whose NUMBER answer records progress on the second goal.
 */
async function caseloadClient(gql: Gql, coach: Session, clientId: string, i: number, templateId: string) {
  const today = todayIn(TZ);
  const reports = await activeGoal(gql, coach.accessToken, {
    clientId,
    title: `Write four quarterly reports with a qualitative section (${i})`,
    horizon: 'IMMEDIATE',
    targetDate: addDays(today, 120),
    measure: { kind: 'PERCENTAGE', title: 'Share of reports with a qualitative section' },
    progress: [(i * 7) % 100],
  });
  const survey = await activeGoal(gql, coach.accessToken, {
    clientId,
    title: `Survey ten key clients about the sales process (${i})`,
    horizon: 'IMMEDIATE',
    targetDate: addDays(today, 90),
    measure: { kind: 'NUMERIC', title: 'Clients surveyed', target: 10, unit: 'clients' },
    progress: [1, 2 + (i % 5)],
  });
  await task(gql, coach.accessToken, {
    goalId: reports.goalId,
    title: `Draft report (${i})`,
    dueDate: addDays(today, 3 + (i % 10)),
  });
  await task(gql, coach.accessToken, {
    goalId: reports.goalId,
    title: `Send the recap (${i})`,
    dueDate: addDays(today, 5),
  });
  await task(gql, coach.accessToken, {
    goalId: survey.goalId,
    title: `Weekly review (${i})`,
    recurrence: 'FREQ=DAILY;INTERVAL=7',
    startDate: addDays(today, -22),
  });
  await task(gql, coach.accessToken, {
    goalId: survey.goalId,
    title: `Call a client (${i})`,
    recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    countTarget: 2,
  });
  const { assignCheckIn } = await gql<{ assignCheckIn: { id: string } }>(
    `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
    {
      input: {
        clientId,
        templateId,
        recurrence: 'FREQ=WEEKLY;BYDAY=FR',
        startsAt: `${addDays(today, 1)}T16:00`,
        goalIds: [survey.goalId],
        measureBindings: [{ promptKey: 'clients_surveyed', measureId: survey.measureId }],
      },
    },
    coach.accessToken,
  );
  return { assignmentId: assignCheckIn.id };
}

/** The client's goal tree: a long-term goal, two mid-term ones under it, two immediate ones under each. */
async function goalTree(gql: Gql, token: string, clientId: string): Promise<void> {
  const today = todayIn(TZ);
  const root = await activeGoal(gql, token, {
    clientId,
    title: 'Become Sales Director at Northwind within five years',
    horizon: 'LONG_TERM',
    targetDate: addDays(today, 5 * 365),
    measure: { kind: 'MILESTONE', title: 'Appointed Sales Director' },
    progress: [],
  });
  for (const [m, mid] of ['Sales Manager', 'Regional Sales Manager'].entries()) {
    const midGoal = await activeGoal(gql, token, {
      clientId,
      parentId: root.goalId,
      title: `Promotion to ${mid} within two years`,
      horizon: 'MID_TERM',
      targetDate: addDays(today, 2 * 365),
      measure: { kind: 'NUMERIC', title: 'Team members mentored', target: 4, unit: 'people' },
      progress: [m + 1],
    });
    for (const step of ['Deliver four Toastmasters speeches', 'Attend three industry conferences']) {
      await activeGoal(gql, token, {
        clientId,
        parentId: midGoal.goalId,
        title: `${step} (${mid})`,
        horizon: 'IMMEDIATE',
        targetDate: addDays(today, 200),
        measure: { kind: 'PERCENTAGE', title: `${step}: share done` },
        progress: [25, 40 + 10 * m],
      });
    }
  }
}

/** The firm whose coach, client and check-ins are measured: `clients` caseload clients, one of them with a login. */
export async function seedMeasuredFirm(gql: Gql, clients: number): Promise<MeasuredFirm> {
  const slug = 'bench-measured';
  const { admin, tenantId } = await signUp(gql, slug);
  const coach = await inviteCoach(gql, admin, slug);
  const { createCheckInTemplate } = await gql<{ createCheckInTemplate: { id: string } }>(
    `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
    {
      input: {
        name: 'Friday check-in',
        prompts: [
          { key: 'energy', label: 'How energised were you this week?', type: 'SCALE' },
          { key: 'report_started', label: 'Did you start the report a week early?', type: 'YES_NO' },
          {
            key: 'clients_surveyed',
            label: 'Clients surveyed',
            type: 'NUMBER',
            numberMin: 0,
            unit: 'clients',
            recordsProgress: true,
          },
        ],
      },
    },
    coach.accessToken,
  );
  const ids: string[] = [];
  for (let i = 0; i < clients; i++)
    ids.push(await createClient(gql, coach, `Client ${String(i).padStart(2, '0')}`));
  const assignments: string[] = [];
  await inParallel(ids, 4, async (id, i) => {
    assignments[i] = (await caseloadClient(gql, coach, id, i, createCheckInTemplate.id)).assignmentId;
  });
  const { inviteClient } = await gql<{ inviteClient: { token: string } }>(
    `mutation ($id: ID!) { inviteClient(id: $id) { token } }`,
    { id: ids[0] },
    coach.accessToken,
  );
  const client = await accept(gql, inviteClient.token);
  await goalTree(gql, client.accessToken, ids[0]);
  return {
    tenantId,
    coachToken: coach.accessToken,
    clientToken: client.accessToken,
    clientId: ids[0],
    assignmentId: assignments[0],
  };
}

/** A firm with a coach and `clients` clients, each with one ACTIVE measured goal and a task. */
export async function seedLightFirm(gql: Gql, slug: string, clients: number): Promise<void> {
  const { admin } = await signUp(gql, slug);
  const coach = await inviteCoach(gql, admin, slug);
  const today = todayIn(TZ);
  for (let i = 0; i < clients; i++) {
    const clientId = await createClient(gql, coach, `Client ${i}`);
    const { goalId } = await activeGoal(gql, coach.accessToken, {
      clientId,
      title: `Write four quarterly reports with a qualitative section (${i})`,
      horizon: 'IMMEDIATE',
      targetDate: addDays(today, 120),
      measure: { kind: 'PERCENTAGE', title: 'Share of reports with a qualitative section' },
      progress: [30],
    });
    await task(gql, coach.accessToken, { goalId, title: `Draft report (${i})`, dueDate: addDays(today, 4) });
  }
}

/** One-off tasks cannot be created overdue through the API: move every third client's recap into the past. */
export async function backdateRecaps(db: pg.Client, tenantId: string): Promise<void> {
  await db.query(
    `UPDATE action_tasks SET start_date = current_date - 10, due_date = current_date - 2
      WHERE tenant_id = $1 AND title ~ '^Send the recap \\((\\d*[0369])\\)$'`,
    [tenantId],
  );
}

/**
 * `count` open check-ins for the measured client, cloned in SQL from one the assignment materialized (the API
 * only creates future ones): each submission needs a check-in of its own, as a check-in is answered once.
 */
export async function openCheckIns(
  db: pg.Client,
  assignmentId: string,
  count: number,
  tag: string,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO check_ins (tenant_id, assignment_id, client_id, template_version_id, slot, opens_at, closes_at, status, announced_at)
     SELECT c.tenant_id, c.assignment_id, c.client_id, c.template_version_id,
            $3 || '-' || n, now() - interval '1 hour', now() + interval '1 day', 'PENDING', now()
       FROM (SELECT * FROM check_ins WHERE assignment_id = $1 ORDER BY opens_at LIMIT 1) c
      CROSS JOIN generate_series(1, $2::int) AS n
     RETURNING id`,
    [assignmentId, count, tag],
  );
  return rows.map((r) => r.id);
}

/**
 * Background firms up to `total` in bulk SQL, shaped like the light firms: a coach and three clients each, with
 * engagements, two ACTIVE goals per client with a measure and a progress update, a one-off and a weekly task.
 */
export async function bulkFirms(db: pg.Client, total: number): Promise<number> {
  const existing = Number((await db.query(`SELECT count(*) AS n FROM tenants`)).rows[0].n);
  const add = total - existing;
  if (add <= 0) return existing;
  await db.query(`CREATE TEMP TABLE new_tenants AS
    WITH t AS (INSERT INTO tenants (name, slug, default_timezone)
               SELECT 'Bulk firm ' || n, 'bulk-' || n, '${TZ}' FROM generate_series(1, ${add}) AS n RETURNING id, slug)
    SELECT * FROM t`);
  await db.query(`INSERT INTO users (tenant_id, email, display_name, role)
    SELECT id, 'coach@' || slug || '.test', 'Coach', 'COACH' FROM new_tenants
    UNION ALL
    SELECT id, 'client' || k || '@' || slug || '.test', 'Client ' || k, 'CLIENT' FROM new_tenants, generate_series(1, 3) AS k`);
  await db.query(`INSERT INTO profiles (tenant_id, user_id)
    SELECT u.tenant_id, u.id FROM users u JOIN new_tenants t ON t.id = u.tenant_id WHERE u.role = 'CLIENT'`);
  await db.query(`INSERT INTO engagements (tenant_id, client_id, coach_id, is_primary, status, starts_on)
    SELECT cl.tenant_id, cl.id, co.id, true, 'ACTIVE', current_date
      FROM users cl JOIN new_tenants t ON t.id = cl.tenant_id
      JOIN users co ON co.tenant_id = cl.tenant_id AND co.role = 'COACH'
     WHERE cl.role = 'CLIENT'`);
  await db.query(`INSERT INTO goals (tenant_id, client_id, horizon, title, category, status, target_date, motivation,
                                     linked_values, attainability_notes, challenge_level, created_by_user_id)
    SELECT u.tenant_id, u.id, 'IMMEDIATE', 'Write four quarterly reports (' || g || ')', 'SKILL', 'ACTIVE',
           current_date + 120, 'Needed for the next role', '{Growth}', 'A week earlier', 'STRETCH', u.id
      FROM users u JOIN new_tenants t ON t.id = u.tenant_id, generate_series(1, 2) AS g
     WHERE u.role = 'CLIENT'`);
  await db.query(`CREATE TEMP TABLE new_goals AS
    SELECT g.id, g.tenant_id, g.client_id FROM goals g JOIN new_tenants t ON t.id = g.tenant_id`);
  await db.query(`INSERT INTO goal_measures (tenant_id, goal_id, kind, title, baseline, target, direction)
    SELECT tenant_id, id, 'PERCENTAGE', 'Share done', 0, 100, 'INCREASE' FROM new_goals`);
  await db.query(`INSERT INTO progress_updates (tenant_id, measure_id, goal_id, value, occurred_on, occurred_at, recorded_by_user_id)
    SELECT m.tenant_id, m.id, m.goal_id, 40, current_date, now(), g.client_id
      FROM goal_measures m JOIN new_goals g ON g.id = m.goal_id`);
  await db.query(`INSERT INTO action_tasks (tenant_id, goal_id, client_id, title, start_date, due_date, recurrence)
    SELECT tenant_id, id, client_id, 'Draft report', current_date, current_date + 4, NULL FROM new_goals
    UNION ALL
    SELECT tenant_id, id, client_id, 'Weekly review', current_date - 22, NULL, 'FREQ=DAILY;INTERVAL=7' FROM new_goals`);
  await db.query(`DROP TABLE new_goals; DROP TABLE new_tenants`);
  await db.query(`ANALYZE`);
  return total;
}
