import { describe, expect, it } from '@jest/globals';
import { validateSync } from 'class-validator';
import { fillUrlPattern, htmlTemplate, IsUrlPattern, safeText, textTemplate, urlPatternProblem } from '../index.js';

describe('the email template engines', () => {
  const html = htmlTemplate<{ name: string; items: string[] }>('test/html', '<p title="<%= it.name %>">Hi <%= it.name %></p><ul><% for (const i of it.items) { %><li><%= i %></li><% } %></ul>');
  const text = textTemplate<{ name: string; items: string[] }>('test/text', 'Hi <%= it.name %>\n<% for (const i of it.items) { -%>\n- <%= i %>\n<% } -%>\nBye');

  it('escape every interpolation in HTML, attributes included', () => {
    expect(html({ name: `"><script>x</script> & 'q'`, items: ['<b>'] })).toBe(
      '<p title="&quot;&gt;&lt;script&gt;x&lt;/script&gt; &amp; &#39;q&#39;">Hi &quot;&gt;&lt;script&gt;x&lt;/script&gt; &amp; &#39;q&#39;</p><ul><li>&lt;b&gt;</li></ul>',
    );
  });

  it('keep text as written, one interpolation per line, control tags leaving no blank lines', () => {
    expect(text({ name: 'A & <B>', items: ['one', 'two\n== fake =='] })).toBe('Hi A & <B>\n- one\n- two == fake ==\nBye');
  });

  it('drop NUL, other controls and bidi overrides from user text in both', () => {
    const name = 'a\u0000b\u202Ec\u2066d\u0007e\tf';
    expect(safeText(name)).toBe('abcde\tf');
    expect(html({ name, items: [] })).toContain('Hi abcde\tf<');
    expect(text({ name, items: [] })).toBe('Hi abcde\tf\nBye');
  });
});

describe('link patterns', () => {
  it('accept http(s) URLs naming the required placeholder, in the path, query or host', () => {
    expect(urlPatternProblem('https://app.example.com/clients/{clientId}', ['clientId'], ['firmSlug'])).toBeNull();
    expect(urlPatternProblem('http://localhost:4200/c?id={clientId}', ['clientId'])).toBeNull();
    expect(urlPatternProblem('https://{firmSlug}.app.example.com/join/{token}', ['token'], ['firmSlug'])).toBeNull();
  });

  it('refuse other schemes, missing or unknown placeholders, credentials and relative URLs', () => {
    expect(urlPatternProblem('javascript:alert({clientId})', ['clientId'])).toBe('must be an absolute http:// or https:// URL');
    expect(urlPatternProblem('https://app.example.com/clients', ['clientId'])).toBe('must contain the placeholder {clientId}');
    expect(urlPatternProblem('https://app.example.com/{clientId}/{userId}', ['clientId'])).toMatch(/unknown placeholder \{userId\}/);
    expect(urlPatternProblem('https://u:p@app.example.com/{clientId}', ['clientId'])).toBe('must not carry credentials');
    expect(urlPatternProblem('/clients/{clientId}', ['clientId'])).toBe('must be an absolute http:// or https:// URL');
  });

  it('are filled with URL-encoded values, so a value cannot change the link', () => {
    expect(fillUrlPattern('https://a.example/c/{clientId}?f={firmSlug}', { clientId: '../x?y=1&z', firmSlug: 'summit' })).toBe(
      'https://a.example/c/..%2Fx%3Fy%3D1%26z?f=summit',
    );
  });

  it('name the property in a validation message', () => {
    class Input {
      @IsUrlPattern(['clientId'])
      clientUrlPattern: string;
    }
    const input = Object.assign(new Input(), { clientUrlPattern: 'ftp://x/{clientId}' });
    expect(Object.values(validateSync(input)[0].constraints ?? {})).toEqual([
      'clientUrlPattern must be an absolute http:// or https:// URL, e.g. https://app.example.com/{clientId}',
    ]);
  });
});
