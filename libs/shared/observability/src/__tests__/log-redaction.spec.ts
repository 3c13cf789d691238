import { describe, expect, it } from '@jest/globals';
import { redactRequestSecrets, redactUrlSecrets } from '../log-redaction.js';

const ID = '0b6f3c2e-9d1a-4a55-8f7e-2c4b9a1d3e5f';
const SECRET = 'Qm9vdHN0cmFwLXNlY3JldC1vZi00My1jaGFyYWN0ZXI';
const TOKEN = `cal_${ID}_${SECRET}`;

describe('redactUrlSecrets', () => {
  it('keeps the prefix and id of an opaque token in a path and drops its secret', () => {
    expect(redactUrlSecrets(`/calendar/${TOKEN}.ics`)).toBe(`/calendar/cal_${ID}_[redacted].ics`);
    expect(redactUrlSecrets(`/calendar/${TOKEN}.ics?x=1`)).not.toContain(SECRET);
  });

  it('leaves other URLs alone', () => {
    for (const url of ['/graphql', '/health/ready', `/clients/${ID}`, '/calendar/garbage.ics']) {
      expect(redactUrlSecrets(url)).toBe(url);
    }
  });
});

describe('redactRequestSecrets', () => {
  it('redacts url, params and query of a serialized request without touching the request’s own objects', () => {
    const params = { splat: ['calendar', `${TOKEN}.ics`] };
    const query = { token: TOKEN };
    const serialized = redactRequestSecrets({ method: 'GET', url: `/calendar/${TOKEN}.ics`, params, query });
    expect(JSON.stringify(serialized)).not.toContain(SECRET);
    expect(serialized).toEqual({
      method: 'GET',
      url: `/calendar/cal_${ID}_[redacted].ics`,
      params: { splat: ['calendar', `cal_${ID}_[redacted].ics`] },
      query: { token: `cal_${ID}_[redacted]` },
    });
    expect(params.splat[1]).toBe(`${TOKEN}.ics`);
    expect(query.token).toBe(TOKEN);
  });
});
