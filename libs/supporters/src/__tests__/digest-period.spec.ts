import { describe, expect } from '@jest/globals';
import { fc, it } from '@fast-check/jest';
import { DateTime } from 'luxon';
import { DIGEST_HOUR, periodKey } from '../digest/supporter-digest.planner.js';
import { DigestCadence } from '../digest/supporter-digest.types.js';

// Zones with clock changes at midnight both ways, half-hour offsets and one skipping a day at the date line.
const ZONES = ['Europe/London', 'Asia/Tokyo', 'America/Santiago', 'Asia/Beirut', 'Australia/Lord_Howe', 'Pacific/Apia', 'Asia/Kolkata'];
const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true });
const zone = fc.constantFrom(...ZONES);
const local = (at: Date, z: string) => DateTime.fromJSDate(at, { zone: z });

describe('periodKey', () => {
  it.prop([instant, zone])('DAILY: the local date from DIGEST_HOUR, nothing before it', (at, z) => {
    const moment = local(at, z);
    const key = periodKey(DigestCadence.DAILY, moment);
    expect(key).toBe(moment.toFormat('HH:mm') < DIGEST_HOUR ? null : moment.toISODate());
  });

  it.prop([instant, zone])('WEEKLY: one key per ISO week, none before Monday’s DIGEST_HOUR', (at, z) => {
    const moment = local(at, z);
    const key = periodKey(DigestCadence.WEEKLY, moment);
    if (moment.weekday === 1 && moment.toFormat('HH:mm') < DIGEST_HOUR) {
      expect(key).toBeNull();
      return;
    }
    // Every later moment of the same local week (up to Sunday's end) has the same key: sent at most once.
    const sunday = moment.endOf('week');
    expect(periodKey(DigestCadence.WEEKLY, sunday)).toBe(key);
    expect(key).toMatch(/^\d{4}-W\d{2}$/);
    // The next week's Monday, once due, is another period.
    const nextMonday = moment.plus({ weeks: 1 }).startOf('week').set({ hour: 12 });
    expect(periodKey(DigestCadence.WEEKLY, nextMonday)).not.toBe(key);
  });

  it.prop([instant, zone])('OFF: never due', (at, z) => {
    expect(periodKey(DigestCadence.OFF, local(at, z))).toBeNull();
  });

  it('weeks are ISO weeks of the local date: Sunday 23:30 in Tokyo is still its week, Monday 00:30 not yet due', () => {
    expect(periodKey(DigestCadence.WEEKLY, local(new Date('2026-12-20T14:30:00Z'), 'Asia/Tokyo'))).toBe('2026-W51');
    expect(periodKey(DigestCadence.WEEKLY, local(new Date('2026-12-20T15:30:00Z'), 'Asia/Tokyo'))).toBeNull();
    expect(periodKey(DigestCadence.WEEKLY, local(new Date('2027-01-01T12:00:00Z'), 'Europe/London'))).toBe('2026-W53');
  });
});
