import type { ReportData } from '../content/report-data.js';
import { type ClientUrl, type ClientView, reportView } from './report-view.js';
import { clientHtml, clientLineHtml, noteHtml, reportHtml, summaryRowHtml } from './templates/coach-report-html.template.js';
import { clientLineText, clientText, noteText, reportText, summaryLineText } from './templates/coach-report-text.template.js';

export interface RenderedReport {
  subject: string;
  text: string;
  html: string;
}

/** Well inside the messages table's limits (100 000 and 500 000 characters). */
export const TEXT_BUDGET = 90_000;
export const HTML_BUDGET = 450_000;
/** The caseload summary may take this share of a budget; the details get the rest. */
const SUMMARY_SHARE = 0.4;
/** Room for the layout around the parts. */
const FRAME = 8_000;

export interface RenderReportOptions {
  /** Each client's link into the firm's app (see ReportLinks); none by default. */
  clientUrl?: ClientUrl;
}

/**
 * The report as an email, plain text and HTML saying the same, both from the templates next to this file. First
 * a caseload summary, one row per client, highest risk first (check-in completion, goal progress as bars,
 * overdue tasks, at-risk score, the name linking to the firm's app); then the at-risk list with its reasons;
 * then each client in detail, with charts that carry their scale and last value (the numbers are also written
 * out, for mail clients without SVG). A caseload too large for one email is summarised while the summary's
 * share lasts and detailed while the rest lasts, then one line per client, then a count; the full report stays in
 * GraphQL.
 */
export function renderReport(data: ReportData, options: RenderReportOptions = {}): RenderedReport {
  const view = reportView(data, options.clientUrl);
  const more = (n: number, what: string) => `…and ${n} more clients${what}: the full report is in Cairn (coachReport).`;

  const htmlSummary = fit(view.summary, (c) => summaryRowHtml({ client: c }), HTML_BUDGET * SUMMARY_SHARE);
  const textSummary = fit(view.summary, (c) => summaryLineText({ client: c }), TEXT_BUDGET * SUMMARY_SHARE);
  const summaryMore = (shown: number) => (shown < view.summary.length ? more(view.summary.length - shown, ' at lower risk') : undefined);

  const html = reportHtml({
    ...view,
    summaryRows: htmlSummary.body,
    summaryMore: summaryMore(htmlSummary.shown),
    details: details(view.clients, HTML_BUDGET - FRAME - htmlSummary.body.length, {
      detail: (c) => clientHtml({ client: c }),
      line: (c) => clientLineHtml({ client: c }),
      note: (note) => noteHtml({ note }),
    }),
  });
  const text = reportText({
    ...view,
    summaryLines: textSummary.body,
    summaryMore: summaryMore(textSummary.shown),
    details: details(view.clients, TEXT_BUDGET - FRAME / 4 - textSummary.body.length, {
      detail: (c) => clientText({ client: c }),
      line: (c) => clientLineText({ client: c }),
      note: (note) => noteText({ note }),
    }),
  });
  return { subject: view.subject, text, html };

  /** Clients in detail while they fit, then one line each while those fit, then a count. */
  function details(
    clients: readonly ClientView[],
    budget: number,
    render: { detail: (c: ClientView) => string; line: (c: ClientView) => string; note: (note: string) => string },
  ): string {
    let body = '';
    let left = budget - 300;
    let detailed = true;
    let shown = 0;
    for (const client of clients) {
      let block = detailed ? render.detail(client) : render.line(client);
      if (block.length > left && detailed) {
        detailed = false;
        block = render.line(client);
      }
      if (block.length > left) break;
      body += block;
      left -= block.length;
      shown += 1;
    }
    return shown < clients.length ? body + render.note(more(clients.length - shown, '')) : body;
  }
}

/** The parts, in order, while their total stays within `budget`. */
function fit(clients: readonly ClientView[], render: (c: ClientView) => string, budget: number): { body: string; shown: number } {
  let body = '';
  let shown = 0;
  for (const client of clients) {
    const part = render(client);
    if (body.length + part.length > budget) break;
    body += part;
    shown += 1;
  }
  return { body, shown };
}
