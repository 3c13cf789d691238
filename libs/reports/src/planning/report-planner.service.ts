import { Injectable, Logger } from '@nestjs/common';
import { DeliveryChannel, MessageKind, MessageService, onEveryChannel } from '#cairn/messaging';
import { SystemDatabase, TenantDatabase, TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import type { ReportData } from '../content/report-data.js';
import { duePeriod, figuresAsOf, reportKey } from '../content/report-schedule.js';
import { noZoneReason, reportFailureKey, reportZone } from '../content/report-zone.js';
import { ReportPolicy } from '../policy/report-policy.entity.js';
import { ReportPolicyService } from '../policy/report-policy.service.js';
import { ReportLinks } from '../rendering/report-links.js';
import { renderReport } from '../rendering/report-renderer.js';
import type { ClientUrl } from '../rendering/report-view.js';
import { DueCoach, ReportFacts } from './report-facts.service.js';

/** Coaches per transaction: a batch's figures cost a fixed number of statements. */
const BATCH = 50;

export interface TenantReportResult {
  /** Active coaches with at least one client in an open engagement. */
  coaches: number;
  /** Reports made (and sent) by this run. */
  created: number;
  /** Before their scheduled weekday and time in the current cycle. */
  notDue: number;
  /** Already had this cycle's report (an earlier run, a retry, another replica). */
  alreadyReported: number;
  /** No valid time zone (neither the coach's nor the firm's): recorded as FAILED in the delivery log. */
  failed: number;
}

interface Firm {
  name: string;
  slug: string;
  default_timezone: string;
}

interface Candidate {
  id: string;
  display_name: string;
  timezone: string | null;
  last_period_end: string | null;
  email_opted_out: boolean;
}

/**
 * One tenant's report run: every active coach with a client in an ACTIVE or PAUSED engagement whose local time
 * (their own zone, else the firm's) has passed the scheduled weekday and time of the current cycle, and who has
 * no report for that cycle yet, gets one. The report row (key `report/<coach>/<periodStart>`, unique per tenant),
 * its message and the message's deliveries commit together, so retries, restarts and replicas never make or send
 * two: a racing run waits on the key and then finds it taken. A coach with no valid zone (neither theirs nor
 * the firm's) gets no report but a FAILED entry in the delivery log saying why, once a day.
 */
@Injectable()
export class ReportPlanner {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly policies: ReportPolicyService,
    private readonly facts: ReportFacts,
    private readonly messages: MessageService,
    private readonly links: ReportLinks,
  ) {}

  /** Tenants with an active coach in an open engagement and reports not turned off; cross-tenant (owner role). */
  async tenantsToReport(): Promise<string[]> {
    const rows = await this.systemDb.transaction((_manager, db) =>
      db
        .selectFrom('engagements as e')
        .innerJoin('users as u', (join) =>
          join
            .onRef('u.tenant_id', '=', 'e.tenant_id')
            .onRef('u.id', '=', 'e.coach_id')
            .on('u.role', '=', 'COACH')
            .on('u.status', '=', 'ACTIVE'),
        )
        .leftJoin('report_policies as p', 'p.tenant_id', 'e.tenant_id')
        .select('e.tenant_id')
        .distinct()
        .where('e.status', 'in', ['ACTIVE', 'PAUSED'])
        .where((eb) => eb.fn.coalesce('p.enabled', eb.lit(true)))
        .execute(),
    );
    return rows.map((r) => r.tenant_id);
  }

  planTenant(tenantId: string, now = new Date()): Promise<TenantReportResult> {
    return RequestContext.runAs({ tenantId }, async () => {
      const result: TenantReportResult = { coaches: 0, created: 0, notDue: 0, alreadyReported: 0, failed: 0 };
      const { policy, candidates, firm } = await this.tenantDb.transaction(async (tx) => ({
        policy: await this.policies.policyOf(tx),
        candidates: await this.candidates(tx),
        firm: (await tx.db.selectFrom('tenants').select(['name', 'slug', 'default_timezone']).executeTakeFirst()) ?? {
          name: 'Cairn',
          slug: '',
          default_timezone: 'UTC',
        },
      }));
      if (!policy.enabled) return result;
      const due: DueCoach[] = [];
      const noZone: Candidate[] = [];
      for (const coach of candidates) {
        result.coaches += 1;
        const zone = reportZone(coach.timezone, firm.default_timezone);
        if (!zone) {
          this.logger.warn(`Coach ${coach.id} of tenant ${tenantId} has no valid time zone: no report`);
          noZone.push(coach);
          result.failed += 1;
          continue;
        }
        const period = duePeriod(now, zone, policy);
        if (!period) result.notDue += 1;
        // A report already made in this cycle (whatever the schedule was then) is this cycle's report.
        else if (coach.last_period_end !== null && coach.last_period_end >= period.cycleStart) result.alreadyReported += 1;
        else
          due.push({ id: coach.id, displayName: coach.display_name, timezone: zone, period, emailOptedOut: coach.email_opted_out });
      }
      // Figures are taken at each period's end: coaches whose periods end together share a batch's statements.
      const asOf = (c: DueCoach) => figuresAsOf(c.period, c.timezone, now).getTime();
      due.sort((a, b) => asOf(a) - asOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (let i = 0; i < due.length; i += BATCH) {
        await this.reportBatch(due.slice(i, i + BATCH), policy, firm, now, result);
      }
      await this.recordFailures(noZone, firm.default_timezone, now);
      return result;
    });
  }

  /** Active coaches with at least one current (not archived) client in an ACTIVE or PAUSED engagement, by id. */
  private candidates(tx: TenantTransaction): Promise<Candidate[]> {
    return tx.db
      .selectFrom('users as u')
      .select(({ selectFrom, exists, lit }) => [
        'u.id',
        'u.display_name',
        'u.timezone',
        selectFrom('coach_reports as r')
          .select((eb) => eb.cast<string>(eb.fn.max('r.period_end'), 'text').as('last'))
          .whereRef('r.coach_id', '=', 'u.id')
          .as('last_period_end'),
        exists(selectFrom('report_email_opt_outs as o').select(lit(1).as('one')).whereRef('o.coach_id', '=', 'u.id'))
          .$castTo<boolean>()
          .as('email_opted_out'),
      ])
      .where('u.role', '=', 'COACH')
      .where('u.status', '=', 'ACTIVE')
      .where(({ exists, selectFrom, lit }) =>
        exists(
          selectFrom('engagements as e')
            .innerJoin('users as c', (join) => join.onRef('c.id', '=', 'e.client_id').on('c.role', '=', 'CLIENT'))
            .select(lit(1).as('one'))
            .whereRef('e.coach_id', '=', 'u.id')
            .where('e.status', 'in', ['ACTIVE', 'PAUSED'])
            .where((eb) =>
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('profiles as p')
                    .select(lit(1).as('one'))
                    .whereRef('p.user_id', '=', 'e.client_id')
                    .where('p.archived_at', 'is not', null),
                ),
              ),
            ),
        ),
      )
      .orderBy('u.id')
      .execute();
  }

  private reportBatch(coaches: DueCoach[], policy: ReportPolicy, firm: Firm, now: Date, result: TenantReportResult): Promise<void> {
    const clientUrl = this.links.clientUrl(firm.slug, policy.clientUrlPattern);
    return this.tenantDb.transaction(async (tx) => {
      const figures = await this.facts.build(tx, coaches, firm.name, now);
      for (const coach of coaches) {
        const data = figures.get(coach.id) as ReportData;
        if (await this.store(tx, coach, policy, data, now, clientUrl)) result.created += 1;
        else result.alreadyReported += 1;
      }
    });
  }

  /**
   * A FAILED entry in the delivery log for each coach without a valid zone (theirs nor the firm's), with why,
   * on every channel and with nothing sent; at most once a day per coach (see `reportFailureKey`). One batch.
   */
  private async recordFailures(coaches: Candidate[], firmZone: string | null, now: Date): Promise<void> {
    if (coaches.length === 0) return;
    await this.tenantDb.transaction((tx) =>
      this.messages.sendMany(
        tx,
        coaches.map((coach) => {
          const reason = noZoneReason(coach.timezone, firmZone);
          return {
            recipientUserId: coach.id,
            kind: MessageKind.REPORT,
            subject: 'Client report not sent',
            text: reason,
            dedupeKey: reportFailureKey(coach.id, now),
            inApp: {},
            event: { type: 'report.ready', data: { coachId: coach.id } },
            fail: onEveryChannel(reason),
          };
        }),
      ),
    );
  }

  /** Claims the key, then sends the report on every channel; false when another run holds the key. */
  private async store(
    tx: TenantTransaction,
    coach: DueCoach,
    policy: ReportPolicy,
    data: ReportData,
    now: Date,
    clientUrl: ClientUrl,
  ): Promise<boolean> {
    const key = reportKey(coach.id, coach.period.periodStart);
    const claimed = await tx.db
      .insertInto('coach_reports')
      .values({
        coach_id: coach.id,
        period_start: coach.period.periodStart,
        period_end: coach.period.periodEnd,
        period_days: policy.periodDays,
        timezone: coach.timezone,
        generated_at: now,
        dedupe_key: key,
        data: JSON.stringify(data),
      })
      .onConflict((oc) => oc.constraint('coach_reports_dedupe').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return false;
    const rendered = renderReport(data, { clientUrl });
    const atRisk = data.atRisk.slice(0, 3).map((e) => `${e.displayName} (${e.score})`);
    const { messageId } = await this.messages.send(tx, {
      recipientUserId: coach.id,
      kind: MessageKind.REPORT,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      dedupeKey: key,
      inApp: {
        body: `${data.clients.length} clients, ${data.atRisk.length} at risk${atRisk.length ? `: ${atRisk.join(', ')}` : ''}.`,
      },
      event: { type: 'report.ready', data: { reportId: claimed.id, coachId: coach.id } },
      skip: coach.emailOptedOut ? { [DeliveryChannel.EMAIL]: 'The coach unsubscribed from report emails' } : undefined,
    });
    await tx.db.updateTable('coach_reports').set({ message_id: messageId }).where('id', '=', claimed.id).execute();
    return true;
  }
}
