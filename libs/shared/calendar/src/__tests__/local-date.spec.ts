import { describe, expect } from '@jest/globals';
import { fc, it } from '@fast-check/jest';
import { DateTime } from 'luxon';
import { isValidTimeZone, todayIn, zoneClock } from '../local-date.js';

describe('zoneClock', () => {
  const now = new Date('2026-12-01T23:30:00Z');

  it('reads one instant in each zone: date, time and the start of that local day', () => {
    const clock = zoneClock(now);
    expect(clock('Europe/London')).toEqual({ date: '2026-12-01', time: '23:30', midnightMs: Date.parse('2026-12-01T00:00:00Z') });
    expect(clock('Asia/Tokyo')).toEqual({ date: '2026-12-02', time: '08:30', midnightMs: Date.parse('2026-12-01T15:00:00Z') });
    expect(clock('America/New_York')).toEqual({ date: '2026-12-01', time: '18:30', midnightMs: Date.parse('2026-12-01T05:00:00Z') });
    expect(clock('Asia/Tokyo').date).toBe(todayIn('Asia/Tokyo', now));
  });

  it('keeps a day that starts at a daylight-saving change right', () => {
    // Santiago springs forward at midnight: 2026-09-06 starts at 01:00 local.
    const reading = zoneClock(new Date('2026-09-06T12:00:00Z'))('America/Santiago');
    expect(reading.date).toBe('2026-09-06');
    expect(new Date(reading.midnightMs).toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and refuses anything else, also when asked again', () => {
    for (let i = 0; i < 2; i += 1) {
      expect(isValidTimeZone('Europe/Paris')).toBe(true);
      expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
      expect(isValidTimeZone('')).toBe(false);
    }
  });
});

describe('todayIn', () => {
  // Clock changes at midnight both ways (Santiago skips it, Beirut repeats the last hour of the day before),
  // at other hours, half-hour ones, and a day skipped at the date line.
  const ZONES = ['America/Santiago', 'Asia/Beirut', 'America/Sao_Paulo', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Apia', 'Pacific/Kiritimati', 'Etc/GMT+12'];
  const direct = (zone: string, instant: Date) => DateTime.fromJSDate(instant, { zone }).toISODate();

  it.prop([fc.array(fc.record({ zone: fc.constantFrom(...ZONES), ms: fc.integer({ min: Date.parse('2011-12-28T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }) }), { minLength: 1, maxLength: 50 })])(
    'reads any instant, in any order, as luxon does',
    (reads) => {
      for (const { zone, ms } of reads) {
        // Each read, then instants around it (within its day, across its ends, around clock changes).
        for (const delta of [0, 1, -1, 3_599_999, 3_600_000, -3_600_000, 43_200_000, 86_399_999, 86_400_000, -86_400_000]) {
          const instant = new Date(ms + delta);
          expect(todayIn(zone, instant)).toBe(direct(zone, instant));
        }
      }
    },
  );

  it('around clock changes at midnight', () => {
    const hours = (from: string, count: number) =>
      Array.from({ length: count * 4 }, (_, i) => new Date(Date.parse(from) + i * 900_000));
    for (const [zone, from] of [
      ['America/Santiago', '2026-09-05T00:00:00Z'],
      ['America/Santiago', '2026-04-04T00:00:00Z'],
      ['Asia/Beirut', '2026-10-24T12:00:00Z'],
      ['Asia/Beirut', '2026-03-28T12:00:00Z'],
      ['America/Sao_Paulo', '2018-02-17T00:00:00Z'],
      ['Pacific/Apia', '2011-12-29T00:00:00Z'],
    ] as const) {
      for (const instant of hours(from, 60)) expect(todayIn(zone, instant)).toBe(direct(zone, instant));
      // Backwards too: a day learned later must not answer for an earlier instant.
      for (const instant of hours(from, 60).reverse()) expect(todayIn(zone, instant)).toBe(direct(zone, instant));
    }
  });
});
