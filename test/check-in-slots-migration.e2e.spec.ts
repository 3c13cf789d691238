import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import pg from 'pg';
import { ApiModule, MIGRATIONS } from '#cairn-app/api';
import { CheckInLifecycleService } from '#cairn/check-ins';
import { migrateDatabase } from '#cairn/shared/database';
import { ownTestDatabaseUrl, recreateDatabase, testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

/**
 * The slot migration on data written before it, including the doubled days: it keeps every answered,
 * missed and excused check-in, drops only unopened PENDING twins, and the first sweep after it re-plans.
 */

const TORONTO = 'America/Toronto';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DATABASE_URL = ownTestDatabaseUrl('check_in_slots_migration');
const before = MIGRATIONS.filter((m) => Number(/(\d{13})$/.exec(m.name)?.[1]) < 1763900000940);

let db: pg.Client;
beforeAll(async () => {
  await recreateDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL, before);
  db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
}, 120_000);
afterAll(() => db.end());

/** The instant a one-hour fall-back happens in `zone`, searching from `from` in `step` hours. */
function fallBack(zone: string, from: Date, step: 1 | -1): Date {
  let at = DateTime.fromJSDate(from, { zone }).startOf('hour');
  for (let i = 0; i < 2 * 366 * 24; i++) {
    const next = at.plus({ hours: step });
    const [earlier, later] = step === 1 ? [at, next] : [next, at];
    if (later.offset < earlier.offset) return later.toJSDate();
    at = next;
  }
  throw new Error(`no fall-back in ${zone}`);
}

async function insert(sql: string, params: unknown[]): Promise<string> {
  return (await db.query(sql, params)).rows[0].id;
}

describe('migration 1763900000940: one check-in per slot', () => {
  it('keeps history, drops only unopened PENDING twins, and the first sweep re-plans the doubled days', async () => {
    const tenantId = await insert(
      `INSERT INTO tenants (name, slug, default_timezone) VALUES ('Old firm', 'old-firm', 'Europe/London') RETURNING id`,
      [],
    );
    const clientId = await insert(
      `INSERT INTO users (tenant_id, email, display_name, role, timezone) VALUES ($1, 'sam@old.test', 'Sam', 'CLIENT', $2) RETURNING id`,
      [tenantId, TORONTO],
    );
    const templateId = await insert(
      `INSERT INTO checkin_templates (tenant_id, name, current_version) VALUES ($1, 'Pulse', 1) RETURNING id`,
      [tenantId],
    );
    const versionId = await insert(
      `INSERT INTO checkin_template_versions (tenant_id, template_id, version, prompts)
       VALUES ($1, $2, 1, '[{"key":"energy","label":"Energy?","type":"SCALE"}]') RETURNING id`,
      [tenantId, templateId],
    );
    const assign = (recurrence: string, startsAt: string) =>
      insert(
        `INSERT INTO checkin_assignments (tenant_id, client_id, template_id, status, recurrence, starts_at, window_minutes, version,
           materialized_through)
         VALUES ($1, $2, $3, 'ACTIVE', $4, $5, 120, 1, now() + interval '14 days') RETURNING id`,
        [tenantId, clientId, templateId, recurrence, startsAt],
      );
    const startDay = DateTime.now().setZone(TORONTO).minus({ days: 400 }).toISODate();
    const daily = await assign('FREQ=DAILY', `${startDay}T09:00`);
    const twin = await assign('FREQ=WEEKLY', `${startDay}T09:00`);
    const checkIn = (assignmentId: string, opensAt: Date, status = 'PENDING') =>
      insert(
        `INSERT INTO check_ins (tenant_id, assignment_id, client_id, template_version_id, opens_at, closes_at, status, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $5::timestamptz + interval '20 minutes', $6, CASE WHEN $6 = 'SUBMITTED' THEN $5::timestamptz END)
         RETURNING id`,
        [tenantId, assignmentId, clientId, versionId, opensAt, status],
      );

    // The issue: days planned at 09:00 London (09:00Z, 04:00 Toronto) and again at 09:00 Toronto.
    const tomorrow = DateTime.now().setZone(TORONTO).plus({ days: 1 }).startOf('day');
    const london: string[] = [];
    const toronto: string[] = [];
    for (let d = 0; d < 3; d++) {
      const day = tomorrow.plus({ days: d });
      london.push(await checkIn(daily, DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: 9 }, { zone: 'Europe/London' }).toJSDate()));
      toronto.push(await checkIn(daily, day.set({ hour: 9 }).toJSDate()));
    }
    const answeredYesterday = await checkIn(daily, tomorrow.minus({ days: 2 }).set({ hour: 9 }).toJSDate(), 'SUBMITTED');
    // The same local 01:30 twice on fall-back nights: answered ones in the past, unopened ones to come.
    const past = fallBack(TORONTO, new Date(), -1);
    const pastTwins = [await checkIn(daily, new Date(past.getTime() - HOUR / 2), 'SUBMITTED'), await checkIn(daily, new Date(past.getTime() + HOUR / 2), 'MISSED')];
    const next = fallBack(TORONTO, new Date(Date.now() + DAY), 1);
    const futureTwins = [await checkIn(daily, new Date(next.getTime() - HOUR / 2)), await checkIn(daily, new Date(next.getTime() + HOUR / 2))];

    await migrateDatabase(DATABASE_URL, MIGRATIONS);

    const rows = async (assignmentId: string) =>
      (await db.query(`SELECT id, slot, status, opens_at FROM check_ins WHERE assignment_id = $1 ORDER BY opens_at, id`, [assignmentId]))
        .rows as Array<{ id: string; slot: string; status: string; opens_at: Date }>;
    const migrated = new Map((await rows(daily)).map((r) => [r.id, r]));
    // History stays, the second of the past twins under a slot of its own.
    expect(pastTwins.map((id) => migrated.get(id)?.status)).toEqual(['SUBMITTED', 'MISSED']);
    const pastSlot = DateTime.fromMillis(past.getTime() - HOUR / 2, { zone: TORONTO }).toFormat("yyyy-MM-dd'T'HH:mm");
    expect(migrated.get(pastTwins[0])?.slot).toBe(pastSlot);
    expect(migrated.get(pastTwins[1])?.slot).toBe(`${pastSlot}#${pastTwins[1]}`);
    // Of the unopened twins only the first stays.
    expect(futureTwins.map((id) => migrated.has(id))).toEqual([true, false]);
    expect(migrated.get(toronto[0])?.slot).toBe(`${tomorrow.toISODate()}T09:00`);
    expect(migrated.get(london[0])?.slot).toBe(`${tomorrow.toISODate()}T04:00`);
    // The live duplicate assignment stays, marked as allowed; the first is not.
    const flags = (await db.query(`SELECT id, allows_duplicate FROM checkin_assignments WHERE client_id = $1`, [clientId])).rows;
    expect(Object.fromEntries(flags.map((f) => [f.id, f.allows_duplicate]))).toEqual({ [daily]: false, [twin]: true });
    expect(migrated.get(answeredYesterday)?.status).toBe('SUBMITTED');
    // The database now refuses a second check-in in a slot.
    await expect(
      db.query(
        `INSERT INTO check_ins (tenant_id, assignment_id, client_id, template_version_id, opens_at, closes_at, slot)
         SELECT tenant_id, assignment_id, client_id, template_version_id, opens_at + interval '1 minute', closes_at, slot
           FROM check_ins WHERE id = $1`,
        [toronto[1]],
      ),
    ).rejects.toThrow(/check_ins_slot/);
  }, 120_000);

  it('the first sweep after it re-plans every assignment: one check-in a day at 09:00 Toronto, history kept', async () => {
    const api = await TestApi.start(ApiModule.forRoot(testConfig({ DATABASE_URL })));
    try {
      const [{ tenant_id: tenantId }] = (await db.query(`SELECT id AS tenant_id FROM tenants WHERE slug = 'old-firm'`)).rows;
      const now = new Date();
      await api.app.get(CheckInLifecycleService, { strict: false }).sweepTenant(tenantId, now);
      const [assignment] = (
        await db.query(`SELECT id FROM checkin_assignments WHERE recurrence = 'FREQ=DAILY' AND tenant_id = $1`, [tenantId])
      ).rows;
      const all = (await db.query(`SELECT slot, status, opens_at FROM check_ins WHERE assignment_id = $1 ORDER BY opens_at`, [assignment.id]))
        .rows as Array<{ slot: string; status: string; opens_at: Date }>;
      const ahead = all.filter((r) => r.status === 'PENDING' && r.opens_at > now);
      expect(ahead).toHaveLength(new Set(ahead.map((r) => r.slot.slice(0, 10))).size);
      expect(ahead.every((r) => DateTime.fromJSDate(r.opens_at, { zone: TORONTO }).toFormat("yyyy-MM-dd'T'HH:mm") === r.slot && r.slot.endsWith('T09:00'))).toBe(true);
      expect(ahead.length).toBeGreaterThanOrEqual(13);
      expect(all.filter((r) => r.status !== 'PENDING')).toHaveLength(3);
    } finally {
      await api.close();
    }
  }, 120_000);
});
