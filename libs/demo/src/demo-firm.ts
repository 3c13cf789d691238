/**
 * The demo firm: the seeds' story of a sales representative who wants to become Chief Sales Officer, built
 * through the public GraphQL API (career path, development list, SMART goal tree, measures, action plan, and a
 * private goal the client keeps from everyone else).
 * Dates are relative to today so the demo always looks current.
 */
export type GraphqlCall = <T = Record<string, never>>(
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) => Promise<T>;

export const DEMO = {
  firmName: 'Summit Career Coaching',
  firmSlug: 'summit-demo',
  password: 'summit-demo-password',
  adminEmail: 'ada@summit-demo.test',
  coachEmail: 'corey@summit-demo.test',
  clientEmail: 'sam@summit-demo.test',
};

export interface DemoFirm {
  created: boolean;
  adminToken: string;
  coachToken: string;
  clientToken: string;
  clientId: string;
  /** Only when this run created the firm. */
  goals?: { longTerm: string; midTerm: string; reports: string; speech: string; conferences: string; personal: string };
  /** Sam's boss, a supporter following the mid-term goal. Only when this run created the firm. */
  supporterId?: string;
  /** The clients by name, each in their own zone. Only when this run created the firm. */
  clients?: Record<string, { id: string; timezone: string }>;
  /** The disabled demo webhook endpoint. Only when this run created the firm. */
  webhookEndpointId?: string;
}

/**
 * The demo's clients and their zones. Nudges wait for a client's waking hours (08:00–21:00 by default), so the
 * zones are spread until, at every hour UTC, someone is awake: Berlin 07–20, Los Angeles 15/16–04/05 and Tokyo
 * 23–12 UTC cover the day with DST either way; Sam stays in Toronto like the firm.
 */
export const DEMO_CLIENTS = [
  { key: 'jordan', email: 'jordan@summit-demo.test', displayName: 'Jordan Lee', timezone: 'Asia/Tokyo', jobTitle: 'Marketing Coordinator' },
  { key: 'priya', email: 'priya@summit-demo.test', displayName: 'Priya Nair', timezone: 'Europe/Berlin', jobTitle: 'Account Executive' },
  { key: 'mateo', email: 'mateo@summit-demo.test', displayName: 'Mateo Silva', timezone: 'America/Los_Angeles', jobTitle: 'Sales Engineer' },
] as const;

/** A documentation address (TEST-NET-3): nothing answers there, so the endpoint is created and then disabled. */
export const DEMO_WEBHOOK_URL = 'https://203.0.113.10/cairn-demo-webhook';

/** Today's date in `zone` (check-ins are scheduled in the client's own zone). */
const localToday = (zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

const SESSION = 'accessToken user { id }';
type Session = { accessToken: string; user: { id: string } };

const day = (offset: number, from = new Date()) => {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + offset));
  return d.toISOString().slice(0, 10);
};
const yearsFromNow = (years: number) => day(Math.round(years * 365.25));

/** The next "first Friday of April" (the Q1 report's due date in the seeds) at least `minDays` away. */
function nextQ1ReportDue(minDays: number): string {
  const today = new Date();
  for (let year = today.getUTCFullYear(); ; year++) {
    const april = new Date(Date.UTC(year, 3, 1));
    const firstFriday = new Date(Date.UTC(year, 3, 1 + ((5 - april.getUTCDay() + 7) % 7)));
    if (firstFriday.getTime() - today.getTime() >= minDays * 86_400_000) return firstFriday.toISOString().slice(0, 10);
  }
}

export async function seedDemoFirm(call: GraphqlCall, demo = DEMO): Promise<DemoFirm> {
  const login = (email: string) =>
    call<{ login: Session }>(
      `mutation ($input: LoginInput!) { login(input: $input) { ${SESSION} } }`,
      { input: { firmSlug: demo.firmSlug, email, password: demo.password } },
    ).then((r) => r.login);

  const existing = await login(demo.adminEmail).catch((error: { code?: string }) => {
    if (error.code === 'UNAUTHENTICATED') return null;
    throw error;
  });
  if (existing) return existingDemo(demo, existing, login);

  // The firm, its coach and its client, each with a login.
  const admin = (
    await call<{ signUpFirm: Session }>(
      `mutation ($input: SignUpFirmInput!) { signUpFirm(input: $input) { ${SESSION} } }`,
      {
        input: {
          firmName: demo.firmName,
          firmSlug: demo.firmSlug,
          timezone: 'America/Toronto',
          adminName: 'Ada Admin',
          adminEmail: demo.adminEmail,
          adminPassword: demo.password,
        },
      },
    )
  ).signUpFirm;
  const accept = async (token: string) =>
    (
      await call<{ acceptInvitation: Session }>(
        `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${SESSION} } }`,
        { input: { token, password: demo.password } },
      )
    ).acceptInvitation;
  const coachInvite = await call<{ inviteUser: { token: string } }>(
    `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
    { input: { email: demo.coachEmail, displayName: 'Corey Coach', role: 'COACH' } },
    admin.accessToken,
  );
  const coach = await accept(coachInvite.inviteUser.token);
  const asCoach = <T>(query: string, variables: Record<string, unknown>) => call<T>(query, variables, coach.accessToken);
  await asCoach(`mutation ($input: UpdateProfileInput!) { updateMyProfile(input: $input) { id } }`, {
    input: { jobTitle: 'Executive career coach', organization: demo.firmName },
  });

  const { createClient } = await asCoach<{ createClient: { id: string } }>(
    `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
    {
      input: {
        email: demo.clientEmail,
        displayName: 'Sam Rivera',
        timezone: 'America/Toronto',
        jobTitle: 'Sales Representative',
        organization: 'Northwind Traders',
      },
    },
  );
  const clientId = createClient.id;
  const clientInvite = await asCoach<{ inviteClient: { token: string } }>(
    `mutation ($id: ID!) { inviteClient(id: $id) { token } }`,
    { id: clientId },
  );
  const client = await accept(clientInvite.inviteClient.token);
  const asClient = <T>(query: string, variables: Record<string, unknown>) => call<T>(query, variables, client.accessToken);

  // Sam's profile of values and strengths, in his own words: the goals' authenticity check reads it.
  const trait = async (kind: 'VALUE' | 'STRENGTH', name: string) =>
    (
      await asClient<{ addMyTrait: { id: string } }>(
        `mutation ($input: AddMyTraitInput!) { addMyTrait(input: $input) { id } }`,
        { input: { kind, name } },
      )
    ).addMyTrait.id;
  const growth = await trait('VALUE', 'Growth');
  const ownership = await trait('VALUE', 'Ownership');
  const customerFocus = await trait('VALUE', 'Customer focus');
  const problemSolving = await trait('STRENGTH', 'Problem solving');
  const analytical = await trait('STRENGTH', 'Analytical thinking');
  const embracingChange = await trait('STRENGTH', 'Embracing change');

  // The career path found by research: about fifteen years from representative to CSO.
  const { createCareerPath: path } = await asCoach<{ createCareerPath: { steps: { id: string; title: string }[] } }>(
    `mutation ($input: CreateCareerPathInput!) { createCareerPath(input: $input) { steps { id title } } }`,
    {
      input: {
        clientId,
        title: 'Sales leadership at Northwind Traders',
        currentStepPosition: 1,
        steps: [
          { title: 'Sales Representative', estimatedYears: 0 },
          { title: 'Sales Manager', estimatedYears: 3 },
          { title: 'Director of Sales', estimatedYears: 4 },
          { title: 'VP Sales', estimatedYears: 4 },
          { title: 'Chief Sales Officer', estimatedYears: 4 },
        ],
      },
    },
  );
  const step = (title: string) => path.steps.find((s) => s.title === title)?.id as string;

  // Fact-finding: the development list, from the performance review, the coach and the client's own reflection.
  const addItem = (token: 'coach' | 'client', input: Record<string, unknown>) =>
    (token === 'coach' ? asCoach : asClient)<{ addDevelopmentItem: { id: string } }>(
      `mutation ($input: AddDevelopmentItemInput!) { addDevelopmentItem(input: $input) { id } }`,
      { input: { clientId, ...input } },
    ).then((r) => r.addDevelopmentItem.id);
  const reportItem = await addItem('coach', {
    category: 'SKILL',
    source: 'PERFORMANCE_REVIEW',
    title: 'Sales report writing',
    notes: 'Reports lacked qualitative information and were rushed; too few clients surveyed for solid evidence.',
    valueScore: 5,
    motivationScore: 4,
  });
  await addItem('client', {
    category: 'WEAKNESS',
    source: 'SELF_REFLECTION',
    title: 'Starting reports too close to the deadline',
    valueScore: 4,
    motivationScore: 5,
  });
  await addItem('coach', {
    category: 'TRAINING',
    source: 'COACH',
    title: 'Public speaking (Toastmasters)',
    notes: 'Managers present to the leadership team every quarter.',
    valueScore: 4,
    motivationScore: 4,
  });
  await addItem('client', {
    category: 'RELATIONSHIP',
    source: 'SELF_REFLECTION',
    title: 'Get to know the other regional sales leads',
    valueScore: 3,
    motivationScore: 4,
  });
  await addItem('coach', {
    category: 'JOB_THRESHOLD',
    source: 'BOSS',
    title: 'Run the weekly pipeline review when the manager is away',
    valueScore: 4,
    motivationScore: 3,
  });

  // The goal tree: long-term → mid-term → immediate.
  const GOAL = 'id version';
  const createGoal = async (token: 'coach' | 'client', input: Record<string, unknown>) =>
    (
      await (token === 'coach' ? asCoach : asClient)<{ createGoal: { id: string; version: number } }>(
        `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { ${GOAL} } }`,
        { input: { clientId, ...input } },
      )
    ).createGoal;
  const addMeasure = async (goal: { id: string; version: number }, input: Record<string, unknown>) => {
    const r = await asCoach<{ addGoalMeasure: { goal: { version: number }; measure: { id: string } } }>(
      `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { version } measure { id } } }`,
      { input: { goalId: goal.id, expectedVersion: goal.version, ...input } },
    );
    goal.version = r.addGoalMeasure.goal.version;
    return r.addGoalMeasure.measure.id;
  };
  const activate = async (goal: { id: string; version: number }, reason: string) => {
    const r = await asCoach<{ changeGoalStatus: { version: number } }>(
      `mutation ($input: ChangeGoalStatusInput!) { changeGoalStatus(input: $input) { version } }`,
      { input: { id: goal.id, expectedVersion: goal.version, status: 'ACTIVE', reason } },
    );
    goal.version = r.changeGoalStatus.version;
  };
  const recordProgress = (measureId: string, value: number, note: string, token: 'coach' | 'client' = 'client') =>
    (token === 'coach' ? asCoach : asClient)(
      `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { progressUpdate { id } } }`,
      { input: { measureId, value, note } },
    );

  const longTerm = await createGoal('client', {
    horizon: 'LONG_TERM',
    category: 'POSITION',
    title: 'Become Chief Sales Officer at Northwind Traders',
    description: 'The top job in sales, ideally with my current employer.',
    priority: 1,
    targetDate: yearsFromNow(15),
    why: {
      motivation: 'I have a strong passion for sales, and the top job in sales would validate my career.',
      energizesWorkLife: 'Leading the whole sales organisation is the work I find most energising.',
      fulfilsPersonally: 'Building teams that win together.',
      alignsWithValues: 'Growth, ownership and service to customers.',
      strength: 9,
      valueIds: [growth, ownership, customerFocus],
      strengthIds: [problemSolving, analytical, embracingChange],
    },
    attainabilityNotes: 'CSOs here have 15+ years of sales and proven leadership; the path runs through management.',
    skillsGap: 'Sales experience (2 years so far), leadership, strategic thinking.',
    challengeLevel: 'AMBITIOUS',
    proposedBy: 'CLIENT',
  });
  await addMeasure(longTerm, { kind: 'MILESTONE', title: 'Appointed Chief Sales Officer' });
  await activate(longTerm, 'Agreed in the first coaching session');

  const midTerm = await createGoal('client', {
    parentId: longTerm.id,
    horizon: 'MID_TERM',
    category: 'POSITION',
    title: 'Get promoted to Sales Manager, or receive an external Sales Manager offer',
    priority: 1,
    targetDate: yearsFromNow(3),
    why: {
      motivation: 'The next campsite on the way up; it proves I am on the right track.',
      strength: 8,
      values: ['Growth'],
      strengths: ['Analytical thinking'],
    },
    attainabilityNotes: 'Compared the Sales Manager job description and my boss’s skill set with my own.',
    skillsGap: 'Report writing, presenting to leadership, running team meetings.',
    challengeLevel: 'STRETCH',
    proposedBy: 'CLIENT',
  });
  await addMeasure(midTerm, { kind: 'MILESTONE', title: 'Sales Manager offer in hand' });
  await activate(midTerm, 'Next step on the career path');

  // The immediate goal comes from the development list (the performance review).
  const converted = await asCoach<{ convertDevelopmentItemToGoal: { goal: { id: string; version: number } } }>(
    `mutation ($input: ConvertDevelopmentItemToGoalInput!) { convertDevelopmentItemToGoal(input: $input) { goal { ${GOAL} } } }`,
    {
      input: {
        itemId: reportItem,
        horizon: 'IMMEDIATE',
        parentId: midTerm.id,
        targetDate: day(180),
        title: 'Write quarterly sales reports with a qualitative section backed by client surveys',
      },
    },
  );
  const reports = converted.convertDevelopmentItemToGoal.goal;
  const updated = await asCoach<{ updateGoal: { version: number } }>(
    `mutation ($input: UpdateGoalInput!) { updateGoal(input: $input) { version } }`,
    {
      input: {
        id: reports.id,
        expectedVersion: reports.version,
        reason: 'Filled in the why and attainability with Sam',
        priority: 1,
        why: {
          motivation: 'Report writing is essential for the next level, and I want to master it.',
          strength: 8,
          values: ['Ownership'],
          strengths: ['Analytical thinking'],
        },
        attainabilityNotes: 'Start each report a week earlier and move unrelated tasks until after the deadline.',
        challengeLevel: 'STRETCH',
        proposedBy: 'CLIENT',
      },
    },
  );
  reports.version = updated.updateGoal.version;
  const qualitative = await addMeasure(reports, {
    kind: 'NUMERIC',
    title: 'Quarterly reports with a qualitative section',
    unit: 'reports',
    baseline: 0,
    target: 4,
  });
  const surveyed = await addMeasure(reports, {
    kind: 'NUMERIC',
    title: 'Clients surveyed per report',
    unit: 'clients',
    baseline: 3,
    target: 10,
  });
  await activate(reports, 'Agreed with my boss after the performance review');
  await recordProgress(qualitative, 1, 'Q3 report included customer quotes and a trends section');
  await recordProgress(surveyed, 6, 'Surveyed six clients for the Q3 report');

  const speech = await createGoal('coach', {
    parentId: midTerm.id,
    horizon: 'IMMEDIATE',
    category: 'TRAINING',
    title: 'Deliver my first Toastmasters speech',
    targetDate: day(90),
    why: { motivation: 'Managers present to leadership every quarter.', strength: 6, values: ['Growth'] },
    attainabilityNotes: 'The local club meets weekly; the first speech is four to six minutes.',
    challengeLevel: 'STRETCH',
    proposedBy: 'COACH',
  });
  await addMeasure(speech, { kind: 'MILESTONE', title: 'First speech delivered' });
  await activate(speech, 'Sam agreed to join the local club');

  const conferences = await createGoal('client', {
    parentId: midTerm.id,
    horizon: 'IMMEDIATE',
    category: 'TRAINING',
    title: 'Attend three industry conferences in the next twelve months',
    targetDate: day(365),
    why: { motivation: 'Learn where the industry is heading and meet peers.', strength: 7, values: ['Growth'] },
    attainabilityNotes: 'The training budget covers two; I will pay for the third.',
    challengeLevel: 'COMFORTABLE',
    proposedBy: 'CLIENT',
  });
  const conferenceCount = await addMeasure(conferences, {
    kind: 'COUNT',
    title: 'Industry conferences attended',
    unit: 'conferences',
    target: 3,
    periodMonths: 12,
  });
  await activate(conferences, 'Budget approved');
  await recordProgress(conferenceCount, 1, 'Regional sales summit');

  const link = (goalId: string, stepId: string) =>
    asCoach(`mutation ($input: LinkGoalToCareerStepInput!) { linkGoalToCareerStep(input: $input) { id } }`, {
      input: { goalId, stepId },
    });
  await link(longTerm.id, step('Chief Sales Officer'));
  await link(midTerm.id, step('Sales Manager'));

  // The action plan: the Q1 report in the calendar with lead time, and the daily and weekly habits.
  const task = async (token: 'coach' | 'client', input: Record<string, unknown>) =>
    (
      await (token === 'coach' ? asCoach : asClient)<{ createActionTask: { id: string } }>(
        `mutation ($input: CreateActionTaskInput!) { createActionTask(input: $input) { id } }`,
        { input },
      )
    ).createActionTask.id;
  const q1Due = nextQ1ReportDue(30);
  const survey = await task('coach', {
    goalId: reports.id,
    title: 'Survey at least ten clients for the Q1 report',
    notes: 'Clients need time to answer: ask three weeks ahead.',
    startDate: day(-21, new Date(`${q1Due}T00:00:00Z`)),
    dueDate: day(-7, new Date(`${q1Due}T00:00:00Z`)),
  });
  await task('client', {
    goalId: reports.id,
    title: 'Q1 report due: write it, starting a week before',
    startDate: day(-7, new Date(`${q1Due}T00:00:00Z`)),
    dueDate: q1Due,
    dependsOnIds: [survey],
  });
  await task('client', {
    goalId: reports.id,
    title: 'Ask my boss for feedback on the last report',
    dueDate: day(10),
  });
  const feedback = await task('coach', {
    goalId: midTerm.id,
    title: 'Give feedback to three people',
    recurrence: 'FREQ=DAILY',
    countTarget: 3,
    startDate: day(-6),
  });
  await task('coach', {
    goalId: midTerm.id,
    title: 'Weekly one-on-one with my boss',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    startDate: day(-21),
  });
  await task('client', { goalId: speech.id, title: 'Join the local Toastmasters club', dueDate: day(14) });
  await task('client', { goalId: conferences.id, title: 'Register for the spring sales conference', dueDate: day(30) });
  for (let offset = -3; offset <= -1; offset++) {
    await asClient(`mutation ($input: LogTaskCompletionInput!) { logTaskCompletion(input: $input) { completion { id } } }`, {
      input: { taskId: feedback, occurrenceOn: day(offset), count: 3, note: 'Feedback to three teammates' },
    });
  }

  // A goal Sam keeps to himself: private, so his coach, the firm and its integrations never see it.
  const personal = await createGoal('client', {
    clientId,
    horizon: 'LONG_TERM',
    category: 'OTHER',
    title: 'Run the Berlin marathon in under four hours',
    targetDate: yearsFromNow(1),
    audiences: [],
  });
  await task('client', { goalId: personal.id, title: 'Run 30 km every week', dueDate: day(10) });

  // Step 8: Sam's boss follows the mid-term goal and cheers him on; Sam asks her what to develop.
  const { inviteSupporter } = await asClient<{ inviteSupporter: { token: string; supporter: { id: string } } }>(
    `mutation ($input: InviteSupporterInput!) { inviteSupporter(input: $input) { token supporter { id } } }`,
    { input: { clientId, email: 'dana@northwind.example', displayName: 'Dana Park', relationship: 'BOSS' } },
  );
  const supporterId = inviteSupporter.supporter.id;
  await asClient(`mutation ($input: GoalShareInput!) { shareGoalWithSupporter(input: $input) { id } }`, {
    input: { supporterId, goalId: midTerm.id },
  });
  await asClient(`mutation ($input: AskSupporterInput!) { askSupporter(input: $input) { id } }`, {
    input: { supporterId, question: 'What should I develop to become Sales Manager?' },
  });
  const { exchangeSupporterLink: supporter } = await call<{ exchangeSupporterLink: { accessToken: string } }>(
    `mutation ($input: SupporterTokenInput!) { exchangeSupporterLink(input: $input) { accessToken } }`,
    { input: { token: inviteSupporter.token } },
  );
  await call(
    `mutation ($input: SendEncouragementInput!) { sendEncouragement(input: $input) { id } }`,
    { input: { message: 'Great feedback in this week’s team meeting. Keep it up!', goalId: midTerm.id } },
    supporter.accessToken,
  );

  // More clients, so the coach's dashboard has more than one row and, each in another zone, someone is awake
  // for a nudge whatever the hour (see DEMO_CLIENTS).
  const clients: Record<string, { id: string; timezone: string }> = { sam: { id: clientId, timezone: 'America/Toronto' } };
  for (const { key, timezone, email, displayName, jobTitle } of DEMO_CLIENTS) {
    const { createClient: created } = await asCoach<{ createClient: { id: string } }>(
      `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
      { input: { email, displayName, timezone, jobTitle, organization: 'Northwind Traders' } },
    );
    clients[key] = { id: created.id, timezone };
  }
  const jordanGoal = await asCoach<{ createGoal: { id: string; version: number } }>(
    `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { ${GOAL} } }`,
    {
      input: {
        clientId: clients.jordan.id,
        horizon: 'MID_TERM',
        category: 'POSITION',
        title: 'Become Marketing Manager within two years',
        targetDate: yearsFromNow(2),
        proposedBy: 'CLIENT',
      },
    },
  );
  await task('coach', {
    goalId: jordanGoal.createGoal.id,
    title: 'Draft a development plan with HR',
    dueDate: day(7),
  });

  // Check-ins: a daily pulse for every client, open all of today in their zone (unanswered by all but Sam, so
  // the nudge run finds CHECKIN_DUE_SOON for them), and Sam's weekly reflection with every prompt type, from
  // today. Occurrences are made from the current one on (none in the past), so Sam answers today's.
  const template = async (input: Record<string, unknown>) =>
    (
      await asCoach<{ createCheckInTemplate: { id: string } }>(
        `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
        { input },
      )
    ).createCheckInTemplate.id;
  const pulse = await template({
    name: 'Daily pulse',
    description: 'Thirty seconds at the end of the day.',
    prompts: [
      { key: 'energy', label: 'How was your energy today?', type: 'SCALE', minLabel: 'Drained', maxLabel: 'Buzzing' },
      { key: 'win', label: 'One small win?', type: 'TEXT', required: false, maxLength: 500 },
    ],
  });
  const reflection = await template({
    name: 'Weekly reflection',
    description: 'Friday afternoon: how the week moved your goals.',
    prompts: [
      { key: 'confidence', label: 'How confident are you about the Q1 report?', type: 'SCALE', scaleMin: 1, scaleMax: 5 },
      { key: 'started_early', label: 'Did you start this week’s report a week ahead?', type: 'YES_NO' },
      { key: 'surveyed', label: 'Clients surveyed this week', type: 'NUMBER', numberMin: 0, numberMax: 50, unit: 'clients' },
      {
        key: 'focus',
        label: 'Where did your development time go?',
        type: 'CHOICE',
        options: ['Report writing', 'Public speaking', 'Networking', 'Pipeline reviews'],
        allowMultiple: true,
      },
      { key: 'reflection', label: 'What will you do differently next week?', type: 'TEXT' },
    ],
  });
  const assign = (input: Record<string, unknown>) =>
    asCoach<{ assignCheckIn: { id: string } }>(
      `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
      { input },
    );
  const pulseOf: Record<string, string> = {};
  for (const [key, { id, timezone }] of Object.entries(clients)) {
    pulseOf[key] = (
      await assign({
      clientId: id,
      templateId: pulse,
      recurrence: 'FREQ=DAILY',
      startsAt: `${localToday(timezone)}T00:00`,
        windowMinutes: 1440,
      })
    ).assignCheckIn.id;
  }
  const { assignCheckIn: weekly } = await assign({
    clientId,
    templateId: reflection,
    goalIds: [reports.id],
    recurrence: 'FREQ=WEEKLY',
    startsAt: `${localToday('America/Toronto')}T00:00`,
    windowMinutes: 2880,
  });
  // Sam answers today's reflection and pulse, and his coach gives feedback on both.
  // What is open now (today's occurrences), so a seed run across midnight still finds them.
  const { checkIns: open } = await asClient<{ checkIns: { edges: { node: { id: string; assignmentId: string } }[] } }>(
    `query { checkIns(openNow: true, first: 100) { edges { node { id assignmentId } } } }`,
    {},
  );
  const openOf = (assignmentId: string) => open.edges.find((e) => e.node.assignmentId === assignmentId)?.node.id as string;
  const answer = async (checkInId: string, key: string, answers: Record<string, unknown>[], feedback: string) => {
    await asClient(`mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`, {
      input: { checkInId, answers, idempotencyKey: `summit-demo-${key}` },
    });
    await asCoach(`mutation ($input: AddCheckInFeedbackInput!) { addCheckInFeedback(input: $input) { id } }`, {
      input: { checkInId, body: feedback },
    });
  };
  await answer(
    openOf(weekly.id),
    'reflection-this-week',
    [
      { key: 'confidence', scale: 3 },
      { key: 'started_early', yesNo: true },
      { key: 'surveyed', number: 4 },
      { key: 'focus', choices: ['Report writing', 'Networking'] },
      { key: 'reflection', text: 'Book the client calls on Monday instead of squeezing them in on Thursday.' },
    ],
    'Starting a week early is exactly the habit we agreed on. Four surveys is progress: which six clients are next?',
  );
  await answer(
    openOf(pulseOf.sam),
    'pulse-today',
    [
      { key: 'energy', scale: 4 },
      { key: 'win', text: 'Gave feedback to three teammates before lunch.' },
    ],
    'A low-energy day with a win in it still counts. What drained you? Let us look at it on Monday.',
  );

  // The firm's settings, as an admin. Reports go out Mondays at 00:00 in the coach's zone: the current week's is
  // then due at every hour of it, so the run below makes one at once.
  const asAdmin = <T>(query: string, variables: Record<string, unknown> = {}) => call<T>(query, variables, admin.accessToken);
  await asAdmin(`mutation ($input: UpdateReportPolicyInput!) { updateReportPolicy(input: $input) { weekday } }`, {
    input: { weekday: 1, localTime: '00:00', periodDays: 7 },
  });
  // A webhook endpoint to look at, disabled: its URL is a documentation address nothing answers at. Events wait
  // for it; point it at a receiver (README "Webhooks") and enable it to see them delivered.
  const { createWebhookEndpoint: hook } = await asAdmin<{ createWebhookEndpoint: { endpoint: { id: string; version: number } } }>(
    `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id version } } }`,
    {
      input: {
        url: DEMO_WEBHOOK_URL,
        description:
          'Demo endpoint, disabled: nothing listens at this documentation address. Set url to your receiver and enabled: true to get the waiting events.',
        eventTypes: ['CHECKIN_SUBMITTED', 'CHECKIN_FEEDBACK_ADDED', 'NUDGE_SENT', 'REPORT_READY', 'GOAL_ACHIEVED'],
      },
    },
  );
  await asAdmin(`mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { enabled } }`, {
    input: { id: hook.endpoint.id, expectedVersion: hook.endpoint.version, enabled: false },
  });
  // Nudges and the coach's report now rather than at the next 15-minute sweep (a worker must be running).
  await asAdmin(`mutation { runNudgesNow { jobId } }`);
  await asAdmin(`mutation { runCoachReportNow { jobId } }`);

  return {
    created: true,
    adminToken: admin.accessToken,
    coachToken: coach.accessToken,
    clientToken: client.accessToken,
    clientId,
    goals: {
      longTerm: longTerm.id,
      midTerm: midTerm.id,
      reports: reports.id,
      speech: speech.id,
      conferences: conferences.id,
      personal: personal.id,
    },
    supporterId,
    clients,
    webhookEndpointId: hook.endpoint.id,
  };
}

async function existingDemo(
  demo: typeof DEMO,
  admin: Session,
  login: (email: string) => Promise<Session>,
): Promise<DemoFirm> {
  const coach = await login(demo.coachEmail);
  const client = await login(demo.clientEmail);
  return {
    created: false,
    adminToken: admin.accessToken,
    coachToken: coach.accessToken,
    clientToken: client.accessToken,
    clientId: client.user.id,
  };
}
