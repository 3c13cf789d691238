import { describe, expect, it } from '@jest/globals';
import { noZoneReason, reportFailureKey, reportZone } from '../content/report-zone.js';

describe('the zone a coach’s reports are computed in', () => {
  it('is their own when valid, else the firm’s when valid, else none', () => {
    expect(reportZone('Pacific/Auckland', 'Europe/London')).toBe('Pacific/Auckland');
    expect(reportZone('Mars/Olympus_Mons', 'Europe/London')).toBe('Europe/London');
    expect(reportZone(null, 'Europe/London')).toBe('Europe/London');
    expect(reportZone('', 'Europe/London')).toBe('Europe/London');
    expect(reportZone('Mars/Olympus_Mons', 'Venus/Maxwell_Montes')).toBeNull();
    expect(reportZone(null, null)).toBeNull();
  });

  it('says why there is none, naming both zones', () => {
    expect(noZoneReason('Mars/Olympus_Mons', 'Venus/Maxwell_Montes')).toBe(
      'Invalid time zone "Mars/Olympus_Mons" and the firm’s default time zone "Venus/Maxwell_Montes" is invalid too; fix the coach’s or the firm’s time zone',
    );
    expect(noZoneReason(null, 'Venus/Maxwell_Montes')).toBe(
      'No time zone of their own and the firm’s default time zone "Venus/Maxwell_Montes" is invalid too; fix the coach’s or the firm’s time zone',
    );
    expect(noZoneReason('Mars/Olympus_Mons', null)).toContain('the firm has no default time zone');
  });

  it('keys the failure by coach and UTC day, so a day’s sweeps record it once', () => {
    expect(reportFailureKey('c-1', new Date('2026-03-02T00:00:00Z'))).toBe('report-failed/c-1/2026-03-02');
    expect(reportFailureKey('c-1', new Date('2026-03-02T23:59:59Z'))).toBe('report-failed/c-1/2026-03-02');
    expect(reportFailureKey('c-1', new Date('2026-03-03T00:00:00Z'))).toBe('report-failed/c-1/2026-03-03');
    expect(reportFailureKey('c-2', new Date('2026-03-02T12:00:00Z'))).not.toBe(
      reportFailureKey('c-1', new Date('2026-03-02T12:00:00Z')),
    );
  });
});
