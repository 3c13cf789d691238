import { Eta } from 'eta/core';

/**
 * Characters no email needs from user text: C0 and C1 controls (NUL included) but tab and newline, and the bidi
 * embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) that can make a name read backwards
 * or reorder the sentence around it.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** User text made harmless for either version: the characters above removed. */
export const safeText = (value: unknown): string => String(value ?? '').replace(UNSAFE, '');

const xml = new Eta().config.escapeFunction;

/**
 * The two engines every email is written with (eta, `<%= %>` escapes, `<%~ %>` is raw and only for what these
 * engines rendered). HTML: every interpolation is cleaned and XML-escaped. Text: cleaned and kept on its line
 * (a newline in a name cannot start a fake section). Templates are TypeScript string modules next to their
 * domain, so they are found the same way from the sources (jest) and from dist/.
 */
const html = new Eta({ autoEscape: true, autoTrim: false, escapeFunction: (value) => xml(safeText(value)) });
const text = new Eta({ autoEscape: true, autoTrim: false, escapeFunction: (value) => safeText(value).replace(/\s*\n\s*/g, ' ') });

export type Render<T> = (data: T) => string;

function define<T extends object>(engine: Eta, name: string, source: string): Render<T> {
  // Registered under "@name" so other templates can `include('@name', data)`.
  engine.loadTemplate(`@${name}`, source);
  return (data: T) => engine.render(`@${name}`, data);
}

/** An HTML template (or partial) named `name`; other HTML templates include it as `@name`. */
export const htmlTemplate = <T extends object>(name: string, source: string): Render<T> => define<T>(html, name, source);

/**
 * The frame every HTML email shares, for mail clients: a grey page, one white column up to `it.maxWidth` pixels
 * (default 600) that narrows to a phone's width, and the text style. A template uses it with
 * `<% layout('@email/layout', { title, maxWidth }) %>`; its own output becomes `it.body`.
 */
htmlTemplate(
  'email/layout',
  `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<% if (it.title) { %><title><%= it.title %></title>
<% } %></head>
<body style="margin:0;padding:0;background:#f3f4f6">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6"><tr><td align="center" style="padding:12px 6px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:<%= it.maxWidth ?? 600 %>px;background:#ffffff;border-radius:6px"><tr>
<td style="padding:16px 12px;font-family:Arial,Helvetica,sans-serif;color:#1f2937;font-size:14px;line-height:1.5;overflow-wrap:anywhere;word-break:break-word">
<%~ it.body %></td></tr></table>
</td></tr></table>
</body>
</html>
`,
);

/** A plain-text template named `name`; end a control tag alone on its line with `-%>` to drop that line's newline. */
export const textTemplate = <T extends object>(name: string, source: string): Render<T> => define<T>(text, name, source);
