import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { MessageKind, MessageService, type OutgoingMessage, UnsubscribeLinks } from '#cairn/messaging';
import { inQuietHours, NudgePolicyService } from '#cairn/nudges';
import { isValidTimeZone } from '#cairn/shared/calendar';
import { SystemDatabase, TenantDatabase, type TenantTransaction } from '#cairn/shared/database';
import { RequestContext } from '#cairn/shared/tenancy';
import { safeText } from '#cairn/shared/templates';
import { MeasureKind } from '#cairn/goals';
import { supportersEnabled } from '../policy/supporter-policy.js';
import { SharedGoal } from '../view/supporter-view.types.js';
import { SupporterViewService } from '../view/supporter-view.service.js';
import { supporterDigestHtml, supporterDigestText } from './supporter-digest.template.js';
import { DigestCadence } from './supporter-digest.types.js';

/** Digests go out from this local hour on the due day (Mondays for WEEKLY), then at the next sweep that may. */
export const DIGEST_HOUR = '09:00';
/** At most this many digests to one address in any 24 hours, whoever they support (a busy mentor). */
export const DIGEST_CAP_PER_ADDRESS = 3;

export interface TenantDigestResult {
  supporters: number;
  sent: number;
  notDue: number;
  quiet: number;
  capped: number;
  failed: number;
}

interface Candidate {
  id: string;
  email: string;
  display_name: string;
  client_id: string;
  client_name: string;
  zone: string;
  cadence: string;
}

/**
 * One tenant's digest run: every supporter of an active, unarchived client, not revoked and not unsubscribed, whose client
 * shares something and has not turned digests off, gets one email per cadence period once it is due in the
 * supporter's own zone (their zone, else the client's), unless it is the firm's quiet hours there (the nudge
 * policy's) or their address hit the cap. The message key names the supporter and the period, so a retried or
 * duplicated run sends nothing twice.
 */
@Injectable()
export class SupporterDigestPlanner {
  constructor(
    private readonly tenantDb: TenantDatabase,
    private readonly systemDb: SystemDatabase,
    private readonly view: SupporterViewService,
    private readonly nudgePolicies: NudgePolicyService,
    private readonly messages: MessageService,
    private readonly unsubscribeLinks: UnsubscribeLinks,
  ) {}

  /** Tenants with an active supporter who shares something; cross-tenant (owner role). */
  async tenantsWithSupporters(): Promise<string[]> {
    const rows = await this.systemDb.transaction((_m, db) =>
      db
        .selectFrom('goal_supporter_shares as sh')
        .innerJoin('supporters as s', (join) => join.onRef('s.id', '=', 'sh.supporter_id').onRef('s.tenant_id', '=', 'sh.tenant_id'))
        .select('s.tenant_id')
        .distinct()
        .where('s.revoked_at', 'is', null)
        .where('s.digest_opted_out_at', 'is', null)
        .execute(),
    );
    return rows.map((r) => r.tenant_id);
  }

  planTenant(tenantId: string, now = new Date()): Promise<TenantDigestResult> {
    return RequestContext.runAs({ tenantId }, () =>
      this.tenantDb.transaction(async (tx) => {
        const result: TenantDigestResult = { supporters: 0, sent: 0, notDue: 0, quiet: 0, capped: 0, failed: 0 };
        if (!(await supportersEnabled(tx))) return result;
        const policy = await this.nudgePolicies.policyOf(tx);
        const firm = await tx.db.selectFrom('tenants').select('name').executeTakeFirstOrThrow();
        const candidates = await this.candidates(tx);
        const sentToday = await this.sentToAddresses(tx, candidates.map((c) => c.email));
        const outgoing: OutgoingMessage[] = [];
        for (const supporter of candidates) {
          result.supporters += 1;
          if (!isValidTimeZone(supporter.zone)) {
            result.failed += 1;
            continue;
          }
          const local = DateTime.fromJSDate(now, { zone: supporter.zone });
          const period = periodKey(supporter.cadence as DigestCadence, local);
          if (!period) {
            result.notDue += 1;
          } else if (inQuietHours(local.toFormat('HH:mm'), policy.quietHoursStart, policy.quietHoursEnd)) {
            result.quiet += 1;
          } else if ((sentToday.get(supporter.email) ?? 0) >= DIGEST_CAP_PER_ADDRESS) {
            result.capped += 1;
          } else {
            const goals = await this.view.sharedGoals(tx, supporter.id, supporter.client_id);
            if (goals.length === 0) continue;
            outgoing.push(this.compose(tx.tenantId, supporter, goals, firm.name, supporter.cadence as DigestCadence, period));
            sentToday.set(supporter.email, (sentToday.get(supporter.email) ?? 0) + 1);
          }
        }
        const sent = await this.messages.sendMany(tx, outgoing);
        result.sent = sent.filter((s) => s.created).length;
        return result;
      }),
    );
  }

  private candidates(tx: TenantTransaction): Promise<Candidate[]> {
    return tx.db
      .selectFrom('supporters as s')
      .innerJoin('users as u', 'u.id', 's.client_id')
      .innerJoin('tenants as t', 't.id', 'u.tenant_id')
      .leftJoin('supporter_digest_cadences as c', 'c.client_id', 's.client_id')
      .select((eb) => [
        's.id',
        's.email',
        's.display_name',
        's.client_id',
        'u.display_name as client_name',
        eb.fn.coalesce('s.timezone', 'u.timezone', 't.default_timezone').as('zone'),
        eb.fn.coalesce('c.cadence', eb.val(DigestCadence.WEEKLY)).as('cadence'),
      ])
      .where('s.revoked_at', 'is', null)
      .where('s.digest_opted_out_at', 'is', null)
      .where('u.status', '=', 'ACTIVE')
      // An archived client's goals are frozen history: nothing to report on.
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('profiles as p').select('p.user_id').whereRef('p.user_id', '=', 'u.id').where('p.archived_at', 'is not', null))),
      )
      .where((eb) => eb.or([eb('c.cadence', 'is', null), eb('c.cadence', '<>', DigestCadence.OFF)]))
      .where((eb) => eb.exists(eb.selectFrom('goal_supporter_shares as sh').select('sh.goal_id').whereRef('sh.supporter_id', '=', 's.id')))
      .orderBy('s.id')
      .$castTo<Candidate>()
      .execute();
  }

  /** Digests each address received in the last 24 hours. */
  private async sentToAddresses(tx: TenantTransaction, emails: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (emails.length === 0) return counts;
    const rows = await tx.db
      .selectFrom('messages')
      .select((eb) => ['recipient_email', eb.fn.countAll<string>().as('n')])
      .where('kind', '=', MessageKind.SUPPORTER_DIGEST)
      .where('recipient_email', 'in', [...new Set(emails)])
      .where('created_at', '>', new Date(Date.now() - 86_400_000))
      .groupBy('recipient_email')
      .execute();
    for (const row of rows) counts.set(row.recipient_email as string, Number(row.n));
    return counts;
  }

  private compose(
    tenantId: string,
    supporter: Candidate,
    goals: SharedGoal[],
    firmName: string,
    cadence: DigestCadence,
    period: string,
  ): OutgoingMessage {
    const view = {
      supporterName: supporter.display_name,
      clientName: supporter.client_name,
      firmName,
      period: cadence === DigestCadence.DAILY ? 'today' : 'this week',
      goals: goals.map((goal) => {
        const milestones = goal.measures.filter((m) => m.kind === MeasureKind.MILESTONE);
        return {
          title: goal.title,
          progress: goal.progress === null ? 'not measured yet' : `${Math.round(goal.progress)}%`,
          milestones: milestones.length ? `${milestones.filter((m) => m.done).length} of ${milestones.length} milestones done` : null,
          streaks: goal.tasks.filter((t) => t.streak && t.streak.current > 0).map((t) => `${t.title}: ${t.streak!.current} in a row`),
        };
      }),
      unsubscribeUrl: this.unsubscribeLinks.urlFor({ tenantId, userId: supporter.id, kind: MessageKind.SUPPORTER_DIGEST }),
    };
    const subject = safeText(`How ${supporter.client_name} is doing ${view.period}`);
    return {
      recipientUserId: null,
      to: { email: supporter.email, name: supporter.display_name },
      // The email's List-Unsubscribe headers set the same opt-out as the link in its body.
      listMemberId: supporter.id,
      kind: MessageKind.SUPPORTER_DIGEST,
      subject: subject.length > 300 ? `${subject.slice(0, 299)}…` : subject,
      text: supporterDigestText(view),
      html: supporterDigestHtml(view),
      dedupeKey: `supporter-digest/${supporter.id}/${period}`,
    };
  }
}

/**
 * The cadence period a local moment may send for, or null when not due yet: DAILY the local date from
 * DIGEST_HOUR, WEEKLY the ISO week from Monday's DIGEST_HOUR (a Monday missed to quiet hours or an outage is
 * sent later that week, still once).
 */
export function periodKey(cadence: DigestCadence, local: DateTime): string | null {
  if (cadence === DigestCadence.OFF) return null;
  if (local.toFormat('HH:mm') < DIGEST_HOUR && (cadence === DigestCadence.DAILY || local.weekday === 1)) return null;
  if (cadence === DigestCadence.DAILY) return local.toISODate();
  return `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
}
