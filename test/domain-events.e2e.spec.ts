import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ApiModule } from '#cairn-app/api';
import { NotificationPublisher, NotificationService } from '#cairn/notifications';
import type { TenantTransaction } from '#cairn/shared/database';
import { type DomainEventName, type EventSubscriber, type RecordedEvent, SubscribesTo } from '#cairn/shared/events';
import { coachingFirm, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const SUBMIT = `mutation ($input: SubmitCheckInInput!) { submitCheckIn(input: $input) { id } }`;
const FEEDBACK = `mutation ($input: AddCheckInFeedbackInput!) { addCheckInFeedback(input: $input) { id } }`;
const FEED = `{ notifications(first: 50) { edges { node { kind } } } }`;

/** A subscriber the domains have never heard of, wired next to the app as a new consumer lib would be. */
const received: RecordedEvent[] = [];
@SubscribesTo(['checkin.submitted', 'checkin.feedback_added'])
@Injectable()
class Probe implements EventSubscriber {
  async onEvents<N extends DomainEventName>(_tx: TenantTransaction, _name: N, events: readonly RecordedEvent<N>[]) {
    received.push(...(events as readonly RecordedEvent[]));
  }
}
@Module({ providers: [Probe] })
class ProbeModule {}

// One app per suite: Passport's strategies are process-wide, so a second app closed mid-file would break the first.
let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start({ module: class ProbedApi {}, imports: [ApiModule.forRoot(testConfig()), ProbeModule] });
});
afterAll(() => api.close());

/** A client with a daily check-in open now. */
async function openCheckIn() {
  const cast = await coachingFirm(api);
  const template = await api.ok<{ createCheckInTemplate: { id: string } }>(
    `mutation ($input: CreateCheckInTemplateInput!) { createCheckInTemplate(input: $input) { id } }`,
    { input: { name: 'Daily pulse', prompts: [{ key: 'energy', label: 'Energy?', type: 'SCALE' }] } },
    { token: cast.coach.accessToken },
  );
  await api.ok(
    `mutation ($input: AssignCheckInInput!) { assignCheckIn(input: $input) { id } }`,
    {
      input: {
        clientId: cast.client.user.id,
        templateId: template.createCheckInTemplate.id,
        recurrence: 'FREQ=DAILY',
        startsAt: `${DateTime.now().setZone('Europe/London').minus({ days: 1 }).toISODate()}T00:00`,
        windowMinutes: 1440,
      },
    },
    { token: cast.coach.accessToken },
  );
  const [open] = await api.dataSource.query(
    `SELECT id FROM check_ins WHERE client_id = $1 AND opens_at <= now() AND closes_at > now()`,
    [cast.client.user.id],
  );
  const submit = (key: string) =>
    api.ok(
      SUBMIT,
      { input: { checkInId: open.id, answers: [{ key: 'energy', scale: 7 }], idempotencyKey: key } },
      { token: cast.client.accessToken },
    );
  return { ...cast, checkInId: open.id as string, submit };
}

const eventsOf = async (tenantId: string, type: string): Promise<Record<string, unknown>[]> =>
  (
    await api.dataSource.query(`SELECT payload FROM domain_events WHERE tenant_id = $1 AND type = $2`, [tenantId, type])
  ).map((r: { payload: Record<string, unknown> }) => r.payload);

const feedKinds = async (token: string) =>
  (await api.ok<{ notifications: { edges: { node: { kind: string } }[] } }>(FEED, {}, { token })).notifications.edges.map(
    (e) => e.node.kind,
  );

describe('domain events', () => {
  it('a subscriber wired by the app receives the events, details included, with no change to the emitting domain', async () => {
    received.length = 0;
    const { firm, coach, client, checkInId, submit } = await openCheckIn();
    await submit('probe-0001');
    await api.ok(FEEDBACK, { input: { checkInId, body: 'Steady week' } }, { token: coach.accessToken });
    expect(received.map((e) => [e.name, e.details, e.outward])).toEqual([
      ['checkin.submitted', { progressIssues: [] }, true],
      ['checkin.feedback_added', { body: 'Steady week' }, true],
    ]);
    // What it got is what was stored; the details never were.
    expect(received.map((e) => e.payload)).toEqual([
      ...(await eventsOf(firm.tenantId, 'checkin.submitted')),
      ...(await eventsOf(firm.tenantId, 'checkin.feedback_added')),
    ]);
    // The subscribers already there still work next to it.
    expect(await feedKinds(client.accessToken)).toContain('CHECKIN_FEEDBACK_ADDED');
    expect(await feedKinds(coach.accessToken)).toContain('CHECKIN_SUBMITTED');
  });

  it('a change that fails after its event and feed entry were written leaves neither, and publishes nothing', async () => {
    const { firm, coach, client, checkInId, submit } = await openCheckIn();
    await submit('rollback-0001');
    const notifications = api.app.get(NotificationService, { strict: false });
    const publish = jest.spyOn(api.app.get(NotificationPublisher, { strict: false }), 'publish');
    const written: string[] = [];
    // The feed entry is written, then the change fails: as if anything later in the transaction had.
    const notify = jest.spyOn(notifications, 'notify').mockImplementationOnce(async (tx, notices) => {
      written.push(...(await NotificationService.prototype.notify.call(notifications, tx, notices)));
      throw new Error('the change failed after its event');
    });
    try {
      const failed = await api.gql(FEEDBACK, { input: { checkInId, body: 'Well done' } }, { token: coach.accessToken });
      expect(failed.errors).toHaveLength(1);
      expect(written).toHaveLength(1);
      expect(await eventsOf(firm.tenantId, 'checkin.feedback_added')).toEqual([]);
      expect(await api.dataSource.query(`SELECT id FROM checkin_feedback WHERE check_in_id = $1`, [checkInId])).toEqual([]);
      expect(await api.dataSource.query(`SELECT id FROM notifications WHERE id = $1`, [written[0]])).toEqual([]);
      expect(publish.mock.calls.flat(2).map((m) => m.notificationId)).not.toContain(written[0]);
    } finally {
      notify.mockRestore();
      publish.mockRestore();
    }
    // The same change, not failing: both are there.
    await api.ok(FEEDBACK, { input: { checkInId, body: 'Well done' } }, { token: coach.accessToken });
    expect(await eventsOf(firm.tenantId, 'checkin.feedback_added')).toHaveLength(1);
    expect(await feedKinds(client.accessToken)).toContain('CHECKIN_FEEDBACK_ADDED');
  });
});
