import {
  AmendCheckInDocument,
  AnsweredCheckInsDocument,
  type AnsweredCheckInsQuery,
  CairnGraphqlError,
  type CheckInFieldsFragment,
  createCairnClient,
  MyGoalsDocument,
  MyNotificationsDocument,
  NotificationAddedDocument,
  type NotificationFieldsFragment,
  OpenCheckInsDocument,
  SubmitCheckInDocument,
} from '#cairn/sdk';
import { answerText, promptField, readAnswers } from './check-in-form.js';
import { byId, h, randomKey } from './dom.js';

// The page never holds the firm's API key: it signs in to the partner backend (a session cookie) and asks it for a
// short-lived actAsClient token, which it sends to Cairn through the backend's /graphql.

let token: { value: string; expiresAt: number } | undefined;

class SignedOut extends Error {}

async function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The current actAsClient token, minted again a minute before it expires (they live 15 minutes). */
async function cairnToken(): Promise<string> {
  if (!token || token.expiresAt - Date.now() < 60_000) {
    const res = await postJson('/api/cairn-token', {});
    if (res.status === 401) {
      showLogin();
      throw new SignedOut('Signed out');
    }
    if (!res.ok)
      throw new Error(
        `Could not reach your coaching service (${((await res.json()) as { error: string }).error})`,
      );
    const body = (await res.json()) as { accessToken: string; expiresAt: string };
    token = { value: body.accessToken, expiresAt: Date.parse(body.expiresAt) };
  }
  return token.value;
}

const cairn = createCairnClient({
  url: '/graphql',
  credential: async () => ({ token: await cairnToken() }),
  onTokenRejected: () => (token = undefined),
  onConnected: () => {
    byId('live-status').textContent = 'Live updates on';
    // Whatever happened while the socket was down is in the durable feed and the lists.
    void refreshAll();
  },
  onDisconnected: () => (byId('live-status').textContent = 'Reconnecting to live updates…'),
});

function flash(text: string, isError = false): void {
  const el = byId('flash');
  el.textContent = text;
  el.className = isError ? 'error' : '';
}

function describeError(error: unknown): string {
  if (error instanceof CairnGraphqlError) {
    const fields = Object.entries(error.fields).map(([field, why]) => `${field}: ${why}`);
    return `${error.code ?? 'ERROR'}: ${fields.length ? fields.join('; ') : error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

const promptName = (checkIn: { id: string }) => (prompt: { key: string }) => `${checkIn.id}:${prompt.key}`;
const when = (iso: string) => new Date(iso).toLocaleString();

function openCheckInForm(checkIn: CheckInFieldsFragment): HTMLElement {
  const nameOf = promptName(checkIn);
  // One key per attempt: resending after a lost answer returns the first submission instead of a CONFLICT.
  const idempotencyKey = randomKey();
  const button = h('button', { type: 'submit' }, 'Submit answers');
  const form = h(
    'form',
    { 'aria-label': `Check-in ${checkIn.slot}`, 'data-check-in': checkIn.id },
    h('h3', {}, `Check-in for ${checkIn.slot.replace('T', ' ')}`),
    h('p', { class: 'help' }, `Open until ${when(checkIn.closesAt)}`),
    ...checkIn.prompts.map((p) => promptField(p, nameOf(p))),
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    const answers = readAnswers(form, checkIn.prompts, nameOf);
    cairn
      .request(SubmitCheckInDocument, { input: { checkInId: checkIn.id, idempotencyKey, answers } })
      .then(async (result) => {
        flash(result.submitCheckIn.late ? 'Submitted (late) — thank you!' : 'Submitted — thank you!');
        await refreshCheckIns();
      })
      .catch((error: unknown) => flash(describeError(error), true))
      .finally(() => (button.disabled = false));
  });
  return form;
}

function amendForm(checkIn: CheckInFieldsFragment, done: () => void): HTMLFormElement {
  const nameOf = promptName(checkIn);
  const latest = checkIn.submissions.at(-1);
  const idempotencyKey = randomKey();
  const form = h(
    'form',
    { 'aria-label': `Amend check-in ${checkIn.slot}` },
    ...checkIn.prompts.map((p) =>
      promptField(
        p,
        `amend:${nameOf(p)}`,
        latest?.answers.find((a) => a.key === p.key),
      ),
    ),
    h('label', {}, 'Why the change? ', h('input', { name: 'reason', maxlength: 500 })),
    h('button', { type: 'submit' }, 'Save amendment'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const answers = readAnswers(form, checkIn.prompts, (p) => `amend:${nameOf(p)}`);
    const reason = String(new FormData(form).get('reason') ?? '').trim() || undefined;
    cairn
      .request(AmendCheckInDocument, { input: { checkInId: checkIn.id, idempotencyKey, answers, reason } })
      .then(async () => {
        flash('Amendment saved');
        done();
        await refreshCheckIns();
      })
      .catch((error: unknown) => flash(describeError(error), true));
  });
  return form;
}

function answeredCard(checkIn: CheckInFieldsFragment): HTMLElement {
  const latest = checkIn.submissions.at(-1);
  const promptOf = new Map(checkIn.prompts.map((p) => [p.key, p]));
  const answers = h('dl', {});
  for (const answer of latest?.answers ?? []) {
    answers.append(
      h('dt', {}, promptOf.get(answer.key)?.label ?? answer.key),
      h('dd', {}, answerText(promptOf.get(answer.key), answer)),
    );
  }
  const feedback = checkIn.feedback.length
    ? h(
        'ul',
        { 'aria-label': 'Feedback from your coach' },
        ...checkIn.feedback.map((f) => h('li', { class: 'feedback' }, f.body)),
      )
    : h('p', { class: 'help' }, 'No feedback from your coach yet.');
  const amend = h('button', { type: 'button' }, 'Amend');
  const card = h(
    'article',
    { 'aria-label': `Answered check-in ${checkIn.slot}`, 'data-check-in': checkIn.id },
    h(
      'h3',
      {},
      `Check-in for ${checkIn.slot.replace('T', ' ')} · ${checkIn.status}${checkIn.late ? ' (late)' : ''}`,
    ),
    checkIn.submissions.length > 1
      ? h('p', { class: 'help' }, `Amended ${checkIn.submissions.length - 1}×`)
      : null,
    answers,
    h('h4', {}, 'Coach feedback'),
    feedback,
    amend,
  );
  amend.addEventListener('click', () => {
    amend.hidden = true;
    card.append(amendForm(checkIn, () => (amend.hidden = false)));
  });
  return card;
}

/** The newest answered check-ins. The API lists oldest first with no date filter, so this pages to the end. */
async function newestAnswered(count: number): Promise<CheckInFieldsFragment[]> {
  const all: CheckInFieldsFragment[] = [];
  let after: string | null = null;
  do {
    const { checkIns }: AnsweredCheckInsQuery = await cairn.request(AnsweredCheckInsDocument, {
      first: 20,
      after,
    });
    all.push(...checkIns.edges.map((e) => e.node));
    after = checkIns.pageInfo.hasNextPage ? checkIns.pageInfo.endCursor : null;
  } while (after);
  return all.slice(-count).reverse();
}

async function refreshCheckIns(): Promise<void> {
  const [open, answeredList] = await Promise.all([cairn.request(OpenCheckInsDocument), newestAnswered(10)]);
  const openList = open.checkIns.edges.map((e) => e.node);
  byId('open-check-ins').replaceChildren(
    ...(openList.length
      ? openList.map(openCheckInForm)
      : [h('p', { class: 'help' }, 'Nothing to answer right now.')]),
  );
  byId('answered-check-ins').replaceChildren(
    ...(answeredList.length
      ? answeredList.map(answeredCard)
      : [h('p', { class: 'help' }, 'No answered check-ins yet.')]),
  );
}

async function refreshGoals(): Promise<void> {
  const { goals } = await cairn.request(MyGoalsDocument);
  byId('goals').replaceChildren(
    ...goals.edges.map(({ node: goal }) =>
      h(
        'li',
        { 'aria-label': goal.title },
        h('strong', {}, goal.title),
        ` · ${goal.status.toLowerCase()} `,
        goal.progress === null
          ? h('span', { class: 'help' }, 'nothing measured yet')
          : h(
              'span',
              {},
              h('progress', { max: 100, value: goal.progress, 'aria-label': `${goal.title} progress` }),
              ` ${Math.round(goal.progress)}%`,
            ),
        goal.measures.length
          ? h(
              'ul',
              {},
              ...goal.measures.map((m) =>
                h(
                  'li',
                  {},
                  `${m.title}: ${m.currentValue ?? '—'}${m.target !== null ? ` of ${m.target}` : ''}${m.unit ? ` ${m.unit}` : ''} (${Math.round(m.progress)}%)`,
                ),
              ),
            )
          : null,
      ),
    ),
  );
  if (goals.edges.length === 0) byId('goals').append(h('li', { class: 'help' }, 'No goals yet.'));
}

function notificationItem(n: NotificationFieldsFragment): HTMLElement {
  return h(
    'li',
    { 'data-kind': n.kind },
    h('strong', {}, n.title),
    n.body ? ` — ${n.body}` : '',
    h('span', { class: 'help' }, ` (${when(n.createdAt)})`),
  );
}

async function refreshNotifications(): Promise<void> {
  const { notifications } = await cairn.request(MyNotificationsDocument, { first: 10 });
  byId('notifications').replaceChildren(...notifications.edges.map((e) => notificationItem(e.node)));
}

async function refreshAll(): Promise<void> {
  try {
    await Promise.all([refreshCheckIns(), refreshGoals(), refreshNotifications()]);
  } catch (error) {
    if (!(error instanceof SignedOut)) flash(describeError(error), true);
  }
}

let stopLive: (() => void) | undefined;

function startLive(): void {
  stopLive = cairn.subscribe(NotificationAddedDocument, {
    next: ({ notificationAdded }) => {
      byId('notifications').prepend(notificationItem(notificationAdded));
      // Feedback, a newly open check-in or an answer elsewhere: the lists changed.
      if (notificationAdded.checkInId)
        void refreshCheckIns().catch((error: unknown) => flash(describeError(error), true));
    },
    error: (error) => {
      if (!(error instanceof SignedOut))
        byId('live-status').textContent = `Live updates stopped: ${describeError(error)}`;
    },
  });
}

function showLogin(): void {
  stopLive?.();
  stopLive = undefined;
  token = undefined;
  void cairn.dispose();
  byId('app-view').hidden = true;
  byId('logout').hidden = true;
  byId('whoami').textContent = '';
  byId('login-view').hidden = false;
}

function showApp(displayName: string): void {
  byId('login-view').hidden = true;
  byId('app-view').hidden = false;
  byId('logout').hidden = false;
  byId('whoami').textContent = displayName;
  void refreshAll();
  startLive();
}

byId<HTMLFormElement>('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  postJson('/api/login', { username: data.get('username'), password: data.get('password') })
    .then(async (res) => {
      if (!res.ok) {
        byId('login-error').textContent = 'Unknown username or password.';
        return;
      }
      byId('login-error').textContent = '';
      form.reset();
      showApp(((await res.json()) as { displayName: string }).displayName);
    })
    .catch((error: unknown) => (byId('login-error').textContent = describeError(error)));
});

byId('logout').addEventListener('click', () => {
  void postJson('/api/logout', {}).then(showLogin);
});

const me = await fetch('/api/me');
if (me.ok) showApp(((await me.json()) as { displayName: string }).displayName);
else showLogin();
