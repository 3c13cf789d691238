import { describe, expect, it } from '@jest/globals';
import { PaceState } from '#cairn/goals';
import type { ReportClient, ReportData } from '../content/report-data.js';
import { HTML_BUDGET, renderReport, TEXT_BUDGET } from '../rendering/report-renderer.js';
import { checkInPhrase, goalPhrase, notablePhrase, overduePhrase, riskPhrase, seriesPhrase } from '../rendering/report-phrases.js';
import { describeTrend, sparkline, trendOf } from '../rendering/sparkline.js';
import { chartHtml } from '../rendering/templates/coach-report-html.template.js';

describe('sparklines', () => {
  const drawn = (values: number[], options: Parameters<typeof sparkline>[1]) => chartHtml({ chart: sparkline(values, options)! });

  it('draw an accessible inline SVG with its scale, its last value and the trend in words', () => {
    const svg = drawn([4, 6, 8], { min: 1, max: 10, label: 'Energy (1–10)' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Energy (1–10): rising from 4 to 8 over 3 values"');
    expect(svg).toContain('<title>Energy (1–10): rising from 4 to 8 over 3 values</title>');
    // Scale: the range's ends labelled; the last value written beside the last point.
    expect(svg).toMatch(/<text data-axis="max"[^>]*>10<\/text>/);
    expect(svg).toMatch(/<text data-axis="min"[^>]*>1<\/text>/);
    expect(svg).toMatch(/<text data-last="true"[^>]*>8<\/text>/);
    // 4, 6 and 8 on 1–10 over a 34 px plot from y=7 (10) to y=41 (1).
    expect(svg).toMatch(/<polyline [^>]*points="30,29\.7 95,22\.1 160,14\.6"/);
    expect(svg).not.toMatch(/href|<script|url\(/);
  });

  it('say falling, steady or one value, label units, and draw nothing without values', () => {
    expect(trendOf([8, 7, 3], 0.5)).toBe('falling');
    expect(trendOf([50, 50.4], 0.5)).toBe('steady');
    expect(trendOf([5], 0.5)).toBe('single');
    expect(describeTrend([40, 60], { label: 'Progress', unit: '%' })).toBe('Progress: rising from 40% to 60% over 2 values');
    expect(describeTrend([7], { label: 'Mood' })).toBe('Mood: one value, 7');
    const dot = drawn([7], { min: 1, max: 10, label: 'Mood' });
    expect(dot).toContain('<circle');
    expect(dot).not.toContain('<polyline');
    expect(drawn([40, 60.04], { min: 0, max: 100, label: 'P', unit: '%' })).toMatch(/data-axis="max"[^>]*>100%<.*data-axis="min"[^>]*>0%<.*data-last="true"[^>]*>60%</);
    expect(sparkline([], { min: 0, max: 100, label: 'x' })).toBeNull();
  });

  it('escape the label, which is user text', () => {
    const svg = drawn([1, 2], { min: 0, max: 10, label: 'Goal "<b>" & co' });
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

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const link = (id: string) => `https://app.example.com/clients/${id}?from=report&x="1"`;

describe('the report', () => {
  const data = report([client(), second]);
  const { subject, text, html } = renderReport(data, { clientUrl: link });

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
    for (const phrase of phrases) {
      expect(text).toContain(phrase);
      expect(html).toContain(escape(phrase));
    }
    expect(text).toContain('1. Casey <Client> & Co — score 14');
    expect(text).toContain('Hi Dana <Coach>,');
  });

  it('opens with the caseload summary: a row per client, highest risk first, with completion, goal bars, overdue tasks, risk and a link', () => {
    const sections = [...html.matchAll(/data-section="([a-z-]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['caseload-summary', 'at-risk', 'clients']);
    const summary = html.slice(html.indexOf('data-section="caseload-summary"'), html.indexOf('</table>\n<p'));
    const rows = summary.split('<tr data-client-id=').slice(1);
    expect(rows.map((r) => r.slice(1, 37))).toEqual(['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']);
    expect(rows[0]).toContain(`href="${escape(link('11111111-1111-4111-8111-111111111111'))}"`);
    expect(rows[0]).toContain('<strong>71%</strong>');
    expect(rows[0].match(/data-bar="(\d+|none)"/g)).toEqual(['data-bar="30"', 'data-bar="60"']);
    expect(rows[0]).toContain('<td width="30%"');
    expect(rows[0]).toMatch(/color:#b91c1c;font-weight:bold">1</);
    expect(rows[1]).toContain('no active goals');
    expect(summary).toContain('(0–100%)');

    // The text version: the same order, figures and links, before the at-risk list.
    const lines = text.slice(text.indexOf('CASELOAD'), text.indexOf('AT RISK')).split('\n');
    expect(lines.slice(1, 5)).toEqual([
      '- Casey <Client> & Co: risk 14 (at risk) · check-ins 5 of 7 (71%) · 1 overdue task · goals: Become <Sales> Manager 30%, Run a half marathon 60%',
      `  ${link('11111111-1111-4111-8111-111111111111')}`,
      '- Bo Baker: risk 14 (at risk) · check-ins 5 of 7 (71%) · 0 overdue tasks · no active goals',
      `  ${link('22222222-2222-4222-8222-222222222222')}`,
    ]);
  });

  it('puts the lower-risk client after the higher one whatever their names, and links nothing without a pattern', () => {
    const calmer = renderReport(report([client({ displayName: 'Aaron Calm', riskScore: 1 }), { ...second, clientId: 'c-2', displayName: 'Zed Risky', riskScore: 9 }]));
    expect(calmer.text.indexOf('- Zed Risky')).toBeLessThan(calmer.text.indexOf('- Aaron Calm'));
    expect(calmer.html.indexOf('<tr data-client-id="c-2"')).toBeLessThan(calmer.html.indexOf('<tr data-client-id="1111'));
    expect(calmer.html).not.toContain('href=');
  });

  it('draws a chart per score and goal with its scale and last value, a bar per goal, and escapes all user text', () => {
    const sections = html.split('<section').slice(1);
    expect(sections).toHaveLength(2);
    for (const section of sections) expect(section).toContain('<svg');
    // Casey: one score chart and two goal charts, each with both ends of its scale and its last value.
    expect(sections[0].match(/<svg/g)).toHaveLength(3);
    expect(sections[0].match(/data-axis="max"[^>]*>(10|100%)</g)).toHaveLength(3);
    expect(sections[0].match(/data-axis="min"[^>]*>(1|0%)</g)).toHaveLength(3);
    expect([...sections[0].matchAll(/data-last="true"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['3', '30%', '60%']);
    expect(sections[0].match(/data-scale="bar"/g)).toHaveLength(2);
    expect(sections[0]).toContain('aria-label="Progress of Run a half marathon by report: rising from 40% to 60% over 2 values"');
    expect(html).toContain('Casey &lt;Client&gt; &amp; Co');
    expect(html).toContain('Hi Dana &lt;Coach&gt;,');
    expect(html).toContain('Summit &amp; Sons');
    for (const raw of ['<Client>', '<Coach>', '<Sales>', '<Q1>', '<script>']) expect(html).not.toContain(raw);
    // Self-contained: no images, styles sheets or scripts to fetch; the only links are the clients'.
    expect(html).not.toMatch(/<img|<link|<script|src=|url\(/);
    expect([...html.matchAll(/href="([^"]+)"/g)].every((m) => m[1].startsWith('https://app.example.com/clients/'))).toBe(true);
  });

  it('says so when nobody is at risk, and reads "fortnightly" for 14-day periods', () => {
    const calm = renderReport({ ...report([second]), atRisk: [], periodDays: 14, periodStart: '2026-02-16' });
    expect(calm.subject).toBe('Fortnightly client report, Mon 16 Feb – Sun 1 Mar: 1 client, 0 at risk');
    expect(calm.text).toContain('No client is at risk this fortnight.');
    expect(calm.html).toContain('No client is at risk this fortnight.');
  });

  it('a caseload too big for one email is summarised and detailed while it fits, then one line per client, within the size limits', () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      client({ clientId: `c-${String(i).padStart(4, '0')}`, displayName: `Client ${String(i).padStart(4, '0')}` }),
    );
    const big = renderReport(report(many), { clientUrl: link });
    expect(big.text.length).toBeLessThanOrEqual(TEXT_BUDGET);
    expect(big.html.length).toBeLessThanOrEqual(HTML_BUDGET);
    expect(big.text).toContain('== Client 0000 ==');
    expect(big.text).toMatch(/\nClient \d{4}: 5 of 7 check-ins submitted/);
    expect(big.text).toMatch(/…and \d+ more clients at lower risk: the full report is in Cairn/);
    expect(big.html).toMatch(/…and \d+ more clients at lower risk: the full report is in Cairn/);
    expect(big.html).toContain('<tr data-client-id="c-0000"');
    expect(big.html.trimEnd().endsWith('</html>')).toBe(true);
  });
});

describe('hostile text', () => {
  const NUL = '\u0000';
  const RLO = '\u202E';
  const long = 'W'.repeat(5000);
  const hostile = client({
    displayName: `<script>alert("x")</script> O'Brien & ${RLO}gnp.exe${NUL}`,
    goals: [{ ...client().goals[0], title: `"><img src=x onerror=alert(1)> ${long}` }],
    notableAnswers: [{ ...client().notableAnswers[1], text: `a${NUL}b ${RLO}evil\nLine two & <b>bold</b>` }],
  });
  const { text, html } = renderReport(report([hostile]), { clientUrl: link });

  it('is escaped in the HTML: no tag, attribute or entity of its own survives', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; gnp.exe');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(1\)>/);
    expect(html).toContain(long);
  });

  it('loses its NUL and bidi override characters in both versions', () => {
    for (const version of [text, html]) {
      expect(version).not.toContain(NUL);
      expect(version).not.toContain(RLO);
    }
  });

  it('reads as itself in the text, one line per item (a newline cannot start a section of its own)', () => {
    expect(text).toContain(`- <script>alert("x")</script> O'Brien & gnp.exe: risk 14`);
    expect(text).toContain('“ab evil Line two & <b>bold</b>”');
    expect(text).toContain(`== <script>alert("x")</script> O'Brien & gnp.exe ==`);
  });
});

describe('a goal behind pace', () => {
  const goal = client().goals[0];
  it('says the pace model’s state and reason when the report has them', () => {
    const explanation = 'Goal progress: At risk: the average since the start is 0.2 %/day, 1.4 %/day needed.';
    expect(goalPhrase({ ...goal, stalled: false, paceState: PaceState.AT_RISK, paceExplanation: explanation })).toBe(
      `Become <Sales> Manager: 30% (no change since the last report); by report: 30, 30; at risk: ${explanation}`,
    );
    expect(goalPhrase({ ...goal, stalled: false, paceState: PaceState.BEHIND, paceExplanation: 'Measure “Calls”: Behind pace.' })).toMatch(
      /; behind pace: Measure “Calls”: Behind pace\.$/,
    );
  });

  it('says nothing of pace when the goal is not behind, whatever its explanation', () => {
    expect(goalPhrase({ ...goal, stalled: false, behindPace: false, paceState: PaceState.ON_TRACK, paceExplanation: 'On track.' })).not.toContain('pace');
  });
});
