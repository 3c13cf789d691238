import { describe, expect, it } from '@jest/globals';
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
