import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { NudgePlanner } from '#cairn/nudges';
import { ReportPlanner } from '#cairn/reports';
import { ApiScope } from '#cairn/shared/auth';
import { addDays, todayIn } from '#cairn/shared/calendar';
import {
  coachingFirm,
  createApiKey,
  type Credentials,
  errorCode,
  type GqlResult,
  type Session,
  testConfig,
} from '#cairn/shared/testing';
import { shiftTaskDates } from './action-plan-fixtures.js';
import { TestApi } from './support/index.js';

/**
 * A private goal, with everything that can hang off it, and every read operation of the schema walked by
 * introspection as each principal outside the client's circle: none may see its title, its measure's name, its
 * tasks' titles or its progress anywhere; the client sees them. The selection sets are built from the schema, so
 * a new query or field is walked without touching this file.
 */

const ZONE = 'Europe/London';
const tag = randomUUID().slice(0, 8);
const SECRET = {
  goal: `Leave the firm quietly ${tag}`,
  measure: `Interviews elsewhere ${tag}`,
  task: `Polish the CV ${tag}`,
  overdueTask: `Call the recruiter ${tag}`,
  // Recorded through a check-in answer bound to the measure: 8731 of 10000 = 87.3 % (shown to one decimal; no
  // timestamp has 87 seconds, so the text cannot turn up by chance).
  value: 8731,
  progress: '87.3',
};
const SHARED_TITLE = `Lead the regional team ${tag}`;
const secrets = [
  SECRET.goal,
  SECRET.measure,
  SECRET.task,
  SECRET.overdueTask,
  String(SECRET.value),
  SECRET.progress,
];

let api: TestApi;
let cast: Awaited<ReturnType<typeof coachingFirm>>;
let other: Awaited<ReturnType<typeof coachingFirm>>;
let ids: Record<string, string>;
let keys: { mine: string; theirs: string };
/** Supporters of the client: one the shared parent was shared with, one the private goal was shared with. */
let supporters: { parentOnly: Credentials; ofSecret: Credentials; otherClients: Credentials };
const supporterIds: string[] = [];

const as = (session: Session): Credentials => ({ token: session.accessToken });
const inDays = (n: number) => addDays(todayIn(ZONE), n);
const noon = () =>
  DateTime.now().setZone(ZONE).set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toJSDate();

beforeAll(async () => {
  api = await TestApi.start(
    ApiModule.forRoot(
      testConfig({
        NUDGES_PAUSED: 'false',
        REPORTS_PAUSED: 'false',
        GRAPHQL_MAX_COMPLEXITY: '100000',
        GRAPHQL_MAX_DEPTH: '12',
        // The walk signs in once and runs for many minutes on a busy machine: tokens must outlive it.
        JWT_ACCESS_TTL_SECONDS: '3600',
      }),
    ),
  );
  cast = await coachingFirm(api);
  other = await coachingFirm(api);
  const allScopes = Object.keys(ApiScope);
  keys = {
    mine: (await createApiKey(api, cast.firm, allScopes)).secret,
    theirs: (await createApiKey(api, other.firm, allScopes)).secret,
  };
  ids = await privateGoalWithEverything();
  supporters = {
    parentOnly: await supporterSharing(cast.client, ids.sharedGoal),
    ofSecret: await supporterSharing(cast.client, ids.secretGoal),
    otherClients: await supporterSharing(other.client, null),
  };
}, 120_000);
afterAll(() => api?.close());

/** A signed-in supporter of `client`'s, with `goalId` shared with them (by the client: only they share). */
async function supporterSharing(client: Session, goalId: string | null): Promise<Credentials> {
  const { inviteSupporter } = await api.ok<{ inviteSupporter: { token: string; supporter: { id: string } } }>(
    `mutation ($input: InviteSupporterInput!) { inviteSupporter(input: $input) { token supporter { id } } }`,
    {
      input: {
        clientId: client.user.id,
        email: `sup-${randomUUID().slice(0, 8)}@example.test`,
        displayName: 'Bea Boss',
        relationship: 'BOSS',
      },
    },
    as(client),
  );
  supporterIds.push(inviteSupporter.supporter.id);
  if (goalId)
    await api.ok(
      `mutation ($input: GoalShareInput!) { shareGoalWithSupporter(input: $input) { sharedGoalIds } }`,
      {
        input: { supporterId: inviteSupporter.supporter.id, goalId },
      },
      as(client),
    );
  const { exchangeSupporterLink } = await api.ok<{ exchangeSupporterLink: { accessToken: string } }>(
    `mutation ($token: String!) { exchangeSupporterLink(input: { token: $token }) { accessToken } }`,
    { token: inviteSupporter.token },
  );
  return { token: exchangeSupporterLink.accessToken };
}

/**
 * The shared parent (with a measure of its own, so its progress is not just its private child's), the private
 * sub-goal with a measure, progress from a bound check-in answer, a task due soon and one overdue; a nudge run and
 * a coach report after it went private; a status change (a goal.* event).
 */
async function privateGoalWithEverything(): Promise<Record<string, string>> {
  const { coach, client, firm } = cast;
  const clientId = client.user.id;
  const create = async (input: Record<string, unknown>, session: Session = coach) =>
    (
      await api.ok<{ createGoal: { id: string; version: number } }>(
        `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`,
        { input: { clientId, category: 'POSITION', targetDate: inDays(60), ...input } },
        as(session),
      )
    ).createGoal;
  const addMeasure = async (goalId: string, title: string, session: Session) => {
    const version = (
      await api.ok<{ goal: { version: number } }>(
        `query ($id: ID!) { goal(id: $id) { version } }`,
        { id: goalId },
        as(session),
      )
    ).goal.version;
    return (
      await api.ok<{ addGoalMeasure: { measure: { id: string } } }>(
        `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { measure { id } } }`,
        {
          input: {
            goalId,
            expectedVersion: version,
            kind: 'NUMERIC',
            title,
            unit: 'things',
            baseline: 0,
            target: 10000,
          },
        },
        as(session),
      )
    ).addGoalMeasure.measure.id;
  };

  const shared = await create({ title: SHARED_TITLE, horizon: 'LONG_TERM' });
  await addMeasure(shared.id, `Team size ${tag}`, coach);
  const secret = await create({
    title: SECRET.goal,
    horizon: 'MID_TERM',
    parentId: shared.id,
    targetDate: inDays(30),
  });
  const measureId = await addMeasure(secret.id, SECRET.measure, coach);
  // A step below it that the client shares although its parent is private: its `parent` must read null.
  const step = await create({
    title: `Public step ${tag}`,
    horizon: 'IMMEDIATE',
    parentId: secret.id,
    targetDate: inDays(20),
  });
  await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE' WHERE id = ANY($1)`, [
    [shared.id, secret.id],
  ]);

  // The coach binds a check-in prompt to the measure while the goal is still shared.
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
    {
      input: {
        name: `Weekly numbers ${tag}`,
        prompts: [
          { key: 'energy', label: 'Energy?', type: 'SCALE' },
          { key: 'count', label: 'How many so far?', type: 'NUMBER', recordsProgress: true },
        ],
      },
    },
    as(coach),
  );
  await api.ok(
    `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
    {
      input: {
        clientId,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: `${todayIn(ZONE)}T00:00`,
        windowMinutes: 1440,
        goalIds: [secret.id],
        measureBindings: [{ promptKey: 'count', measureId }],
      },
    },
    as(coach),
  );

  // The client makes it private (the step follows), shares the step again, then works on the goal.
  await setVisibility(client, secret.id, []);
  expect(
    (await setVisibility(client, step.id, ['COACHES', 'FIRM'], { exceedParent: true })).errors,
  ).toBeUndefined();
  const open = await api.ok<{ checkIns: { edges: { node: { id: string } }[] } }>(
    `{ checkIns(openNow: true) { edges { node { id } } } }`,
    {},
    as(client),
  );
  const checkInId = open.checkIns.edges[0].node.id;
  await api.ok(
    `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id progressIssues } }`,
    {
      input: {
        checkInId,
        idempotencyKey: `submit-${tag}`,
        answers: [
          { key: 'energy', scale: 7 },
          { key: 'count', number: SECRET.value },
        ],
      },
    },
    as(client),
  );
  const task = async (title: string, dueDate: string) =>
    (
      await api.ok<{ createActionTask: { id: string } }>(
        `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { id } }`,
        { input: { goalId: secret.id, title, dueDate } },
        as(client),
      )
    ).createActionTask.id;
  const taskId = await task(SECRET.task, inDays(2));
  const overdueTaskId = await task(SECRET.overdueTask, inDays(1));
  await shiftTaskDates(api, overdueTaskId, -4);
  const sharedTask = await api.ok<{ createActionTask: { id: string } }>(
    `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { id } }`,
    { input: { goalId: shared.id, title: `Hire a deputy ${tag}`, dueDate: inDays(3) } },
    as(coach),
  );

  // A goal.* event for the private goal.
  const version = (
    await api.ok<{ goal: { version: number } }>(
      `query ($id: ID!) { goal(id: $id) { version } }`,
      { id: secret.id },
      as(client),
    )
  ).goal.version;
  await api.ok(
    `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { id } }`,
    { input: { id: secret.id, expectedVersion: version, status: 'ON_HOLD' } },
    as(client),
  );
  await api.dataSource.query(`UPDATE goals SET status = 'ACTIVE' WHERE id = $1`, [secret.id]);

  // The worker's nudges (the overdue task) and the coach's report, made after the goal went private. The report
  // is due tomorrow at midnight and made then, so its figures (as of its period's end) include today's work.
  const tomorrow = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 1 });
  await api.ok(
    `mutation ($input: UpdateReportPolicyInput!) { updateReportPolicy(input: $input) { enabled } }`,
    { input: { weekday: tomorrow.weekday, localTime: '00:00' } },
    as(firm.admin),
  );
  await api.app
    .get(ReportPlanner, { strict: false })
    .planTenant(firm.tenantId, tomorrow.plus({ minutes: 5 }).toJSDate());
  const nudged = await api.app
    .get(NudgePlanner, { strict: false })
    .planTenant(firm.tenantId, `vis-${tag}`, noon());
  expect(nudged.sent).toBeGreaterThan(0);
  const [report] = await api.dataSource.query(`SELECT id FROM coach_reports WHERE tenant_id = $1`, [
    firm.tenantId,
  ]);
  expect(report).toBeDefined();

  return {
    secretGoal: secret.id,
    step: step.id,
    sharedGoal: shared.id,
    measure: measureId,
    task: taskId,
    overdueTask: overdueTaskId,
    sharedTask: sharedTask.createActionTask.id,
    checkIn: checkInId,
    template: template.createCheckInTemplate.id,
    report: report.id as string,
  };
}

async function setVisibility(
  session: Session,
  id: string,
  audiences: string[],
  extra: Record<string, unknown> = {},
) {
  const version = (
    await api.ok<{ goal: { version: number } }>(
      `query ($id: ID!) { goal(id: $id) { version } }`,
      { id },
      as(session),
    )
  ).goal.version;
  return api.gql<{ setGoalVisibility: { id: string; audiences: string[]; version: number } }>(
    `mutation ($input: SetGoalVisibilityInput!) { setGoalVisibility(input: $input) { id audiences version } }`,
    { input: { id, expectedVersion: version, audiences, ...extra } },
    as(session),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The schema walk

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
interface Field {
  name: string;
  args: InputValue[];
  type: TypeRef;
}
interface FullType {
  kind: string;
  name: string;
  enumValues: { name: string }[] | null;
  fields: Field[] | null;
  possibleTypes: { name: string }[] | null;
}

const INTROSPECTION = `{ __schema { queryType { name } types { kind name possibleTypes { name } enumValues { name }
  fields { name type { ...T } args { name defaultValue type { ...T } } } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
const required = (a: InputValue) => a.type.kind === 'NON_NULL' && a.defaultValue === null;

/** Argument values from the fixtures, by argument name; several values make several requests. */
/** An enum value as an argument: written bare in the query text. */
class EnumValue {
  constructor(readonly name: string) {}
}
/** Each enum's values, from the schema the walk introspected: an enum argument is walked with every value. */
const enumValuesOf = new Map<string, string[]>();

function candidates(arg: InputValue): unknown[] | null {
  const type = named(arg.type).name;
  const enumValues = enumValuesOf.get(type ?? '');
  if (enumValues) return enumValues.map((value) => new EnumValue(value));
  const allIds = Object.values(ids);
  const clients = [cast.client.user.id, other.client.user.id];
  switch (arg.name) {
    case 'id':
      return [...allIds, cast.client.user.id, cast.coach.user.id];
    case 'clientId':
    case 'recipientId':
      return clients;
    case 'coachId':
      return [cast.coach.user.id, cast.otherCoach.user.id];
    case 'parentId':
      return [ids.sharedGoal, ids.secretGoal];
    case 'taskId':
      return [ids.task, ids.overdueTask, ids.sharedTask];
    case 'supporterId':
      return supporterIds;
    case 'first':
      return [5];
    case 'last':
      return [5];
    case 'limit':
      return [100];
    case 'days':
      return [30];
  }
  if (type === 'Boolean') return [true];
  return null;
}

/** Top-level argument sets: required ones from the fixtures, optional ID and Boolean filters both omitted and set. */
function argumentSets(field: Field): Record<string, unknown>[] | null {
  let sets: Record<string, unknown>[] = [{}];
  for (const arg of field.args) {
    const values = candidates(arg);
    if (required(arg) && !values) return null;
    if (!values) continue;
    const optionalFilter = !required(arg) && ['ID', 'Boolean'].includes(named(arg.type).name!);
    const options = optionalFilter ? [undefined, ...values] : values;
    sets = sets.flatMap((set) => options.map((v) => (v === undefined ? set : { ...set, [arg.name]: v })));
  }
  return sets;
}

const literal = (value: unknown) => (value instanceof EnumValue ? value.name : JSON.stringify(value));

/** Arguments of a nested field: only the required ones, and list sizes kept small. */
function nestedArgs(field: Field): string | null {
  const parts: string[] = [];
  for (const arg of field.args) {
    const values = candidates(arg);
    if (['first', 'last'].includes(arg.name)) parts.push(`${arg.name}: 5`);
    else if (required(arg)) {
      if (!values) return null;
      parts.push(`${arg.name}: ${literal(values[0])}`);
    }
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

class Walker {
  readonly types: Map<string, FullType>;
  constructor(types: FullType[]) {
    this.types = new Map(types.map((t) => [t.name, t]));
  }

  /**
   * Every scalar of `typeName`, and its object fields to `depth` levels; a type appears at most twice on a path
   * (a goal's children's children), which keeps the tree finite and the query within the API's limits.
   */
  selection(
    typeName: string,
    depth: number,
    excluded: ReadonlySet<string>,
    at: string,
    path: string[] = [],
  ): string {
    const type = this.types.get(typeName)!;
    if (type.kind === 'UNION' || type.kind === 'INTERFACE') {
      const parts = (type.possibleTypes ?? []).map(
        (p) => `... on ${p.name} { ${this.selection(p.name, depth, excluded, at, path)} }`,
      );
      return `__typename ${parts.join(' ')}`;
    }
    const parts: string[] = [];
    for (const field of type.fields ?? []) {
      const here = `${at}.${field.name}`;
      if (excluded.has(here)) continue;
      const target = named(field.type);
      const args = nestedArgs(field);
      if (args === null) continue;
      const kind = this.types.get(target.name!)?.kind;
      if (kind === 'SCALAR' || kind === 'ENUM') {
        parts.push(`${field.name}${args}`);
      } else if (depth > 0 && path.filter((p) => p === target.name).length < 2) {
        const inner = this.selection(target.name!, depth - 1, excluded, here, [...path, target.name!]);
        if (inner) parts.push(`${field.name}${args} { ${inner} }`);
      }
    }
    return parts.join(' ');
  }
}

interface Walked {
  text: string;
  requests: number;
  errors: Map<string, number>;
  answered: Set<string>;
}

/** Every query field, every argument set, as `who`; the whole answer text, the error codes met. */
async function walk(who: Credentials): Promise<Walked> {
  const schema = (
    await api.ok<{ __schema: { queryType: { name: string }; types: FullType[] } }>(
      INTROSPECTION,
      {},
      as(cast.firm.admin),
    )
  ).__schema;
  const walker = new Walker(schema.types);
  for (const type of schema.types)
    if (type.kind === 'ENUM' && type.enumValues)
      enumValuesOf.set(
        type.name,
        type.enumValues.map((v) => v.name),
      );
  const query = walker.types.get(schema.queryType.name)!;
  const out: Walked = { text: '', requests: 0, errors: new Map(), answered: new Set() };
  for (const field of query.fields ?? []) {
    const sets = argumentSets(field);
    expect({ field: field.name, walkable: sets !== null }).toEqual({ field: field.name, walkable: true });
    const target = named(field.type);
    const scalar = ['SCALAR', 'ENUM'].includes(walker.types.get(target.name!)!.kind);
    for (const set of sets!) {
      const args = Object.keys(set).length
        ? `(${Object.entries(set)
            .map(([k, v]) => `${k}: ${literal(v)}`)
            .join(', ')})`
        : '';
      // The deepest selection the API's limits accept for this field. A nested field that fails (NOT_FOUND for a
      // hidden goal, FORBIDDEN for a field the caller may not read) would null its parents up to the root and hide
      // the rest of the answer from the assertions: it is left out and the request made again.
      let result: GqlResult | null = null;
      const excluded = new Set<string>();
      for (let depth = 6, tries = 0; depth >= 1 && tries < 60; tries++) {
        const body = scalar
          ? ''
          : `{ ${walker.selection(target.name!, depth, excluded, field.name, [target.name!])} }`;
        result = await api.gql(`{ ${field.name}${args} ${body} }`, {}, who);
        out.requests += 1;
        const code = errorCode(result);
        if (code === 'QUERY_TOO_COMPLEX' || code === 'QUERY_TOO_DEEP') {
          depth -= 1;
          continue;
        }
        const nested = (result.errors ?? [])
          .map((e) => (e.path ?? []).filter((p) => typeof p === 'string').join('.'))
          .filter((p) => p.includes('.') && !excluded.has(p));
        if (nested.length === 0) break;
        for (const p of nested) excluded.add(p);
        out.text += `\n${field.name}${args} (partial): ${JSON.stringify(result)}`;
      }
      const code = String(errorCode(result!) ?? 'OK');
      out.errors.set(code, (out.errors.get(code) ?? 0) + 1);
      if (code === 'OK') out.answered.add(field.name);
      out.text += `\n${field.name}${args}: ${JSON.stringify(result)}`;
    }
  }
  return out;
}

const leaks = (text: string) => secrets.filter((s) => text.includes(s));

describe('a private goal, walked over every read operation of the schema', () => {
  // Errors a principal may meet for things out of reach; anything else (a depth or complexity error that never
  // went away, an internal error) would mean the walk saw nothing there.
  const EXPECTED_ERRORS = ['OK', 'NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT'];

  it('the client sees its title, measure, tasks and progress (the walk reaches them)', async () => {
    const seen = await walk(as(cast.client));
    expect([...seen.errors.keys()].filter((c) => !EXPECTED_ERRORS.includes(c))).toEqual([]);
    expect(leaks(seen.text)).toEqual(secrets);
  }, 600_000);

  const outsiders: [string, () => Credentials][] = [
    ['its coach', () => as(cast.coach)],
    ['another coach', () => as(cast.otherCoach)],
    ['the firm’s admin', () => as(cast.firm.admin)],
    ['an API key with every scope', () => ({ apiKey: keys.mine })],
    ['another firm’s admin', () => as(other.firm.admin)],
    ['another firm’s coach', () => as(other.coach)],
    ['another firm’s API key', () => ({ apiKey: keys.theirs })],
  ];
  it.each(outsiders)(
    '%s sees none of it anywhere',
    async (_who, credentials) => {
      const seen = await walk(credentials());
      expect([...seen.errors.keys()].filter((c) => !EXPECTED_ERRORS.includes(c))).toEqual([]);
      expect(leaks(seen.text)).toEqual([]);
      expect(seen.answered.size).toBeGreaterThan(5);
    },
    600_000,
  );

  it('a supporter sees it only when the client shared it with them (named supporters are part of its circle)', async () => {
    const parentOnly = await walk(supporters.parentOnly);
    expect([...parentOnly.errors.keys()].filter((c) => !EXPECTED_ERRORS.includes(c))).toEqual([]);
    expect(parentOnly.text).toContain(SHARED_TITLE);
    expect(leaks(parentOnly.text)).toEqual([]);
    const otherClients = await walk(supporters.otherClients);
    expect(otherClients.answered.has('supporterHome')).toBe(true);
    expect(leaks(otherClients.text)).toEqual([]);
    expect(otherClients.text).not.toContain(SHARED_TITLE);
    // Shared with them by the client: its title and measure, as the supporter page shows them.
    const ofSecret = await walk(supporters.ofSecret);
    expect(ofSecret.text).toContain(SECRET.goal);
    expect(ofSecret.text).toContain(SECRET.measure);
  }, 600_000);

  it('the coach and the firm still see the shared parent and the shared step below the private goal (the walk is not blind)', async () => {
    for (const who of [as(cast.coach), as(cast.firm.admin), { apiKey: keys.mine }]) {
      const { text } = await walk(who);
      expect(text).toContain(SHARED_TITLE);
      expect(text).toContain(`Public step ${tag}`);
    }
  }, 600_000);

  it('the goal.* events of the private goal (webhook payloads) carry no title', async () => {
    const rows: { type: string; payload: unknown }[] = await api.dataSource.query(
      `SELECT type, payload FROM domain_events WHERE tenant_id = $1 AND type LIKE 'goal.%'`,
      [cast.firm.tenantId],
    );
    expect(rows.map((r) => JSON.stringify(r.payload)).filter((p) => p.includes(ids.secretGoal))).toHaveLength(
      1,
    );
    expect(leaks(JSON.stringify(rows))).toEqual([]);
  });

  it('the coach report and the nudge, as stored and sent, name none of it', async () => {
    const reports = await api.dataSource.query(`SELECT * FROM coach_reports WHERE tenant_id = $1`, [
      cast.firm.tenantId,
    ]);
    expect(JSON.stringify(reports)).toContain(SHARED_TITLE);
    expect(leaks(JSON.stringify(reports))).toEqual([]);
    const messages = await api.dataSource.query(`SELECT * FROM messages WHERE tenant_id = $1`, [
      cast.firm.tenantId,
    ]);
    expect(JSON.stringify(messages)).toContain('one of your private goals');
    expect(leaks(JSON.stringify(messages))).toEqual([]);
  });

  it('the coach’s calendar feed leaves it out; the client’s shows it', async () => {
    const feed = async (session: Session) => {
      const rotated = await api.ok<{ rotateMyCalendarFeed: { url: string } }>(
        `mutation { rotateMyCalendarFeed { url } }`,
        {},
        as(session),
      );
      const res = await api.http.get(new URL(rotated.rotateMyCalendarFeed.url).pathname);
      return res.text;
    };
    const coachFeed = await feed(cast.coach);
    expect(coachFeed).toContain(SHARED_TITLE);
    expect(leaks(coachFeed)).toEqual([]);
    expect(await feed(cast.client)).toContain(SECRET.task);
  });
});
