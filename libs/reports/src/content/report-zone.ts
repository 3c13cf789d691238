import { isValidTimeZone } from '#cairn/shared/calendar';

/** The zone a coach's reports are scheduled and computed in: their own when valid, else the firm's, else none. */
export function reportZone(coachZone: string | null, firmZone: string | null): string | null {
  return (
    [coachZone, firmZone].find((zone): zone is string => Boolean(zone) && isValidTimeZone(zone as string)) ??
    null
  );
}

/** Why a coach with no valid zone (see `reportZone`) gets no report: the reason the delivery log shows. */
export function noZoneReason(coachZone: string | null, firmZone: string | null): string {
  const own = coachZone ? `Invalid time zone "${coachZone}"` : 'No time zone of their own';
  const firm = firmZone
    ? `the firm’s default time zone "${firmZone}" is invalid too`
    : 'the firm has no default time zone';
  return `${own} and ${firm}; fix the coach’s or the firm’s time zone`;
}

/**
 * The key of the message recording that failure: one per coach and UTC day (there is no valid zone to take a
 * day in), so the sweep, which runs many times a day, logs it at most once a day.
 */
export function reportFailureKey(coachId: string, now: Date): string {
  return `report-failed/${coachId}/${now.toISOString().slice(0, 10)}`;
}
