import { describe, expect, it } from '@jest/globals';
import { escapeText, eventLines, foldLine, formatDate, formatUtc, writeCalendar } from '../ics/ics-writer.js';

const octets = (s: string) => Buffer.byteLength(s, 'utf8');
const unfold = (folded: string) => folded.replace(/\r\n /g, '');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Every physical line of `folded` fits in 75 octets and is valid UTF-8 on its own (no character was split). */
function expectWellFolded(folded: string) {
  const physical = folded.split('\r\n');
  for (const [i, line] of physical.entries()) {
    expect(octets(line)).toBeLessThanOrEqual(75);
    if (i > 0) expect(line.startsWith(' ')).toBe(true);
    // A character cut in two would leave a lone surrogate, which does not survive a round trip through UTF-8.
    expect(strictUtf8.decode(Buffer.from(line, 'utf8'))).toBe(line);
  }
  return physical;
}

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and line breaks, in that order', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    expect(escapeText('one\r\ntwo\rthree')).toBe('one\\ntwo\\nthree');
    // An escaped backslash followed by "n" must stay two characters, not turn into a line break.
    expect(escapeText('C:\\new')).toBe('C:\\\\new');
  });

  it('keeps tabs and drops the other control characters TEXT does not allow', () => {
    expect(escapeText('a\tb\u0000c\u0007d\u001Fe\u007Ff')).toBe('a\tbcdef');
  });
});

describe('foldLine', () => {
  it('leaves a line of 75 octets alone and folds a 76th onto a continuation line', () => {
    const line = `SUMMARY:${'x'.repeat(67)}`;
    expect(octets(line)).toBe(75);
    expect(foldLine(line)).toBe(line);
    expect(foldLine(`${line}y`)).toBe(`${line}\r\n y`);
  });

  it('folds long ASCII into lines of at most 75 octets, continuation lines counting their leading space', () => {
    const line = `DESCRIPTION:${'abcdefghij'.repeat(30)}`;
    const physical = expectWellFolded(foldLine(line));
    expect(physical.length).toBe(5);
    expect(octets(physical[0])).toBe(75);
    expect(octets(physical[1])).toBe(75);
    expect(unfold(foldLine(line))).toBe(line);
  });

  it('never splits a multi-byte character, whatever the mix of 2-, 3- and 4-byte characters', () => {
    for (const filler of ['é', '日本', 'a😀', 'ab€', 'Zürich — “Q1”, ']) {
      for (let offset = 0; offset < 4; offset += 1) {
        const line = `SUMMARY:${'-'.repeat(offset)}${filler.repeat(60)}`;
        const folded = foldLine(line);
        expectWellFolded(folded);
        expect(unfold(folded)).toBe(line);
      }
    }
  });

  it('keeps an escape sequence on one line', () => {
    const line = `${'x'.repeat(74)}\\,y`;
    expect(foldLine(line)).toBe(`${'x'.repeat(74)}\r\n \\,y`);
  });
});

describe('dates and times', () => {
  it('writes DATE and UTC DATE-TIME forms', () => {
    expect(formatDate('2027-03-05')).toBe('20270305');
    expect(() => formatDate('2027-3-5')).toThrow();
    expect(formatUtc(new Date('2027-03-05T16:07:08.999Z'))).toBe('20270305T160708Z');
  });

  it('writes all-day events as DATE values and timed ones in UTC', () => {
    const allDay = eventLines({
      uid: 'goal-1@cairn',
      dtstamp: new Date('2027-01-01T10:00:00Z'),
      start: { date: '2027-03-05' },
      end: { date: '2027-03-06' },
      summary: 'Goal target: Lead the team',
      sequence: 2,
      lastModified: new Date('2027-01-01T10:00:00Z'),
    });
    expect(allDay).toEqual([
      'BEGIN:VEVENT',
      'UID:goal-1@cairn',
      'DTSTAMP:20270101T100000Z',
      'DTSTART;VALUE=DATE:20270305',
      'DTEND;VALUE=DATE:20270306',
      'SUMMARY:Goal target: Lead the team',
      'SEQUENCE:2',
      'LAST-MODIFIED:20270101T100000Z',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]);
    const timed = eventLines({
      uid: 'checkin-1@cairn',
      dtstamp: new Date('2027-01-01T10:00:00Z'),
      start: { utc: new Date('2027-03-05T16:00:00Z') },
      end: { utc: new Date('2027-03-05T17:00:00Z') },
      summary: 'Check-in: Pulse',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      categories: ['Cairn', 'Check, in'],
    });
    expect(timed).toContain('DTSTART:20270305T160000Z');
    expect(timed).toContain('DTEND:20270305T170000Z');
    expect(timed).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO');
    expect(timed).toContain('CATEGORIES:Cairn,Check\\, in');
  });
});

describe('writeCalendar', () => {
  const body = writeCalendar({
    prodId: '-//Cairn//Test//EN',
    name: 'Cairn — Zoë Ünal',
    description: 'Tasks; check-ins, goals',
    timezone: 'Europe/Zurich',
    refreshInterval: 'PT1H',
    events: [
      {
        uid: 'task-1@cairn',
        dtstamp: new Date('2027-01-01T00:00:00Z'),
        start: { date: '2027-03-05' },
        end: { date: '2027-03-06' },
        summary: `Due: ${'Préparer le rapport trimestriel, «Q1»; '.repeat(4)}`,
      },
    ],
  });

  it('is a VCALENDAR with the published-calendar headers, every line ended by CRLF', () => {
    expect(body.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Cairn//Test//EN\r\n')).toBe(true);
    expect(body.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(body).split('\r\n');
    for (const expected of [
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:Cairn — Zoë Ünal',
      'X-WR-CALDESC:Tasks\\; check-ins\\, goals',
      'X-WR-TIMEZONE:Europe/Zurich',
      'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
      'X-PUBLISHED-TTL:PT1H',
    ]) {
      expect(lines).toContain(expected);
    }
  });

  it('folds and escapes a long non-ASCII summary', () => {
    for (const line of body.slice(0, -2).split('\r\n')) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      expect(strictUtf8.decode(Buffer.from(line, 'utf8'))).toBe(line);
    }
    const summary = unfold(body)
      .split('\r\n')
      .find((l) => l.startsWith('SUMMARY:'));
    expect(summary).toBe(`SUMMARY:Due: ${'Préparer le rapport trimestriel\\, «Q1»\\; '.repeat(4)}`);
    expect(body).toMatch(/\r\n /);
  });
});
