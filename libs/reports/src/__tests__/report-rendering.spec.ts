import { describe, expect, it } from '@jest/globals';
import type { ReportClient, ReportData } from '../content/report-data.js';
import { HTML_BUDGET, renderReport, TEXT_BUDGET } from '../rendering/report-renderer.js';
import { checkInPhrase, goalPhrase, notablePhrase, overduePhrase, riskPhrase, seriesPhrase } from '../rendering/report-phrases.js';
import { describeTrend, sparkline, trendOf } from '../rendering/sparkline.js';

describe('sparklines', () => {
  it('draw an accessible inline SVG with the trend in words', () => {
    const svg = sparkline([4, 6, 8], { min: 1, max: 10, label: 'Energy (1–10)' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Energy (1–10): rising from 4 to 8 over 3 values"');
    expect(svg).toContain('<title>Energy (1–10): rising from 4 to 8 over 3 values</title>');
    expect(svg).toMatch(/<polyline [^>]*points="2\.5,15\.2 60,10\.9 117\.5,6\.7"/);
    expect(svg).not.toMatch(/href|<script|url\(/);
  });

  it('say falling, steady or one value, and draw nothing without values', () => {
    expect(trendOf([8, 7, 3], 0.5)).toBe('falling');
    expect(trendOf([50, 50.4], 0.5)).toBe('steady');
    expect(trendOf([5], 0.5)).toBe('single');
    expect(describeTrend([40, 60], { label: 'Progress', unit: '%' })).toBe('Progress: rising from 40% to 60% over 2 values');
    expect(describeTrend([7], { label: 'Mood' })).toBe('Mood: one value, 7');
    const dot = sparkline([7], { min: 1, max: 10, label: 'Mood' });
    expect(dot).toContain('<circle');
    expect(dot).not.toContain('<polyline');
    expect(sparkline([], { min: 0, max: 100, label: 'x' })).toBe('');
  });

  it('escape the label, which is user text', () => {
    const svg = sparkline([1, 2], { min: 0, max: 10, label: 'Goal "<b>" & co' });
    expect(svg).toContain('aria-label="Goal &quot;&lt;b&gt;&quot; &amp; co: rising from 1 to 2 over 2 values"');
    expect(svg).not.toContain('<b>');
  });
});

function client(overrides: Partial<ReportClient> = {}): ReportClient {
  return {
    clientId: '11111111-1111-4111-8111-111111111111',
    displayName: 'Casey <Client> & Co',
    timezone: 'Europe/London',
    checkIns: { due: 7, submitted: 5, missed: 2, completionRate: 5 / 7, currentStreak: 2 },
    goals: [
      {
        goalId: 'g1',
        title: 'Become <Sales> Manager',
        progress: 30,
        previousProgress: 30,
        change: 0,
        history: [30, 30],
        targetDate: '2026-04-01',
        expectedProgress: 75,
        behindPace: true,
        idleDays: 16,
        stalled: true,
      },
      {
        goalId: 'g2',
        title: 'Run a half marathon',
        progress: 60,
        previousProgress: 40,
        change: 20,
        history: [null, 40, 60],
        targetDate: null,
        expectedProgress: null,
        behindPace: false,
        idleDays: 0,
        stalled: false,
      },
    ],
    overdueTaskCount: 1,
    oldestOverdueTasks: [{ taskId: 't1', title: 'Send the <Q1> report', dueOn: '2026-02-27', daysOverdue: 3 }],
    stalledGoalCount: 1,
    notableAnswerCount: 2,
    notableAnswers: [
      {
        kind: 'SCORE_DROP',
        checkInId: 'c1',
        opensAt: '2026-02-25T09:00:00.000Z',
        promptKey: 'energy',
        label: 'Energy?',
        value: 4,
        previousValue: 8,
        scaleMin: 1,
        scaleMax: 10,
        text: null,
      },
      {
        kind: 'FOLLOW_UP',
        checkInId: 'c2',
        opensAt: '2026-02-26T09:00:00.000Z',
        promptKey: 'notes',
        label: 'Anything else?',
        value: null,
        previousValue: null,
        scaleMin: null,
        scaleMax: null,
        text: 'My boss said <script>alert(1)</script> & left',
      },
    ],
    scores: [
      {
        promptKey: 'energy',
        label: 'Energy?',
        scaleMin: 1,
        scaleMax: 10,
        points: [8, 8, 4, 2, 3].map((value, i) => ({ opensAt: `2026-02-2${i + 3}T09:00:00.000Z`, value })),
      },
    ],
    riskScore: 14,
    riskReasons: [
      { code: 'STALLED_GOAL', count: 1, points: 3 },
      { code: 'MISSED_CHECKIN', count: 2, points: 4 },
    ],
    ...overrides,
  };
}

function report(clients: ReportClient[]): ReportData {
  return {
    version: 1,
    coachName: 'Dana <Coach>',
    firmName: 'Summit & Sons',
    timezone: 'Europe/London',
    periodDays: 7,
    periodStart: '2026-02-23',
    periodEnd: '2026-03-02',
    clients,
    atRisk: [{ rank: 1, clientId: clients[0].clientId, displayName: clients[0].displayName, score: 14, reasons: clients[0].riskReasons }],
  };
}

const second = client({
  clientId: '22222222-2222-4222-8222-222222222222',
  displayName: 'Bo Baker',
  goals: [],
  overdueTaskCount: 0,
  oldestOverdueTasks: [],
  notableAnswerCount: 0,
  notableAnswers: [],
  scores: [{ promptKey: 'energy', label: 'Energy?', scaleMin: 1, scaleMax: 10, points: [{ opensAt: '2026-02-24T09:00:00.000Z', value: 7 }] }],
});

describe('the report', () => {
  const data = report([client(), second]);
  const { subject, text, html } = renderReport(data);

  it('has a subject naming the cadence, the period and the count at risk', () => {
    expect(subject).toBe('Weekly client report, Mon 23 Feb – Sun 1 Mar: 2 clients, 1 at risk');
  });

  it('says the same figures in both versions', () => {
    const [casey, bo] = data.clients;
    const phrases = [
      checkInPhrase(casey.checkIns),
      seriesPhrase(casey.scores[0]),
      goalPhrase(casey.goals[0]),
      goalPhrase(casey.goals[1]),
      overduePhrase(casey),
      notablePhrase(casey.notableAnswers[0], casey.timezone),
      notablePhrase(casey.notableAnswers[1], casey.timezone),
      riskPhrase(data.atRisk[0]).replace(/^1\. /, ''),
      checkInPhrase(bo.checkIns),
    ];
    expect(phrases).toEqual([
      '5 of 7 check-ins submitted (71%), 2 missed, current streak 2',
      'Energy? (1–10): 8, 8, 4, 2, 3 — falling',
      'Become <Sales> Manager: 30% (no change since the last report); by report: 30, 30; stalled: no progress for 16 days; behind pace (the plan says about 75% by now)',
      'Run a half marathon: 60% (+20 since the last report); by report: 40, 60',
      '1 overdue task: “Send the <Q1> report” (3 days overdue, due Fri 27 Feb)',
      'Wed 25 Feb, Energy?: 4 (down from 8)',
      'Thu 26 Feb, Anything else? (marked for follow-up): “My boss said <script>alert(1)</script> & left”',
      'Casey <Client> & Co — score 14: 1 stalled goal (+3), 2 missed check-ins (+4)',
      '5 of 7 check-ins submitted (71%), 2 missed, current streak 2',
    ]);
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const phrase of phrases) {
      expect(text).toContain(phrase);
      expect(html).toContain(escape(phrase));
    }
    expect(text).toContain('1. Casey <Client> & Co — score 14');
    expect(text).toContain('Hi Dana <Coach>,');
  });

  it('draws a sparkline per client, for scores and for goal progress, and escapes all user text', () => {
    const sections = html.split('<section').slice(1);
    expect(sections).toHaveLength(2);
    for (const section of sections) expect(section).toContain('<svg');
    // Casey: one score chart and two goal charts.
    expect(sections[0].match(/<svg/g)).toHaveLength(3);
    expect(sections[0]).toContain('aria-label="Progress of Run a half marathon by report: rising from 40% to 60% over 2 values"');
    expect(html).toContain('Casey &lt;Client&gt; &amp; Co');
    expect(html).toContain('Hi Dana &lt;Coach&gt;,');
    expect(html).toContain('Summit &amp; Sons');
    for (const raw of ['<Client>', '<Coach>', '<Sales>', '<Q1>', '<script>']) expect(html).not.toContain(raw);
    expect(html).not.toMatch(/<img|<link|src=|href=/);
  });

  it('says so when nobody is at risk, and reads "fortnightly" for 14-day periods', () => {
    const calm = renderReport({ ...report([second]), atRisk: [], periodDays: 14, periodStart: '2026-02-16' });
    expect(calm.subject).toBe('Fortnightly client report, Mon 16 Feb – Sun 1 Mar: 1 client, 0 at risk');
    expect(calm.text).toContain('No client is at risk this fortnight.');
    expect(calm.html).toContain('No client is at risk this fortnight.');
  });

  it('a caseload too big for one email is detailed while it fits, then one line per client, within the size limits', () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      client({ clientId: `c-${String(i).padStart(4, '0')}`, displayName: `Client ${String(i).padStart(4, '0')}` }),
    );
    const big = renderReport(report(many));
    expect(big.text.length).toBeLessThanOrEqual(TEXT_BUDGET);
    expect(big.html.length).toBeLessThanOrEqual(HTML_BUDGET);
    expect(big.text).toContain('== Client 0000 ==');
    expect(big.text).toMatch(/Client \d{4}: 5 of 7 check-ins submitted/);
    expect(big.html.endsWith('</div>')).toBe(true);
  });
});
