import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { webhookSignature, webhookSignatureHeader } from '../deliveries/webhook-sender.js';
import { isPrivateAddress } from '#cairn/shared/net';
import { targetProblem } from '../endpoints/webhook-target.js';

describe('webhook targets', () => {
  const strict = { requireHttps: true, allowPrivate: false };

  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::1111'])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('requires https when asked to, and never accepts other schemes, credentials or fragments', async () => {
    expect(await targetProblem('http://93.184.215.14/hook', strict)).toBe('url must use https');
    expect(await targetProblem('http://93.184.215.14/hook', { ...strict, requireHttps: false })).toBeNull();
    expect(await targetProblem('ftp://93.184.215.14/hook', { ...strict, requireHttps: false })).toBe(
      'url must use https',
    );
    expect(await targetProblem('not a url', strict)).toBe('url must be an absolute http(s) URL');
    expect(await targetProblem('https://u:p@93.184.215.14/', strict)).toBe(
      'url must not contain credentials',
    );
    expect(await targetProblem('https://93.184.215.14/#x', strict)).toBe('url must not contain a fragment');
    expect(await targetProblem('https://93.184.215.14/hook', strict)).toBeNull();
  });

  it('resolves host names and refuses any private address unless allowed', async () => {
    expect(await targetProblem('https://localhost/hook', strict)).toMatch(/loopback/);
    expect(await targetProblem('https://[::1]:8443/hook', strict)).toMatch(/loopback/);
    expect(await targetProblem('https://localhost/hook', { ...strict, allowPrivate: true })).toBeNull();
  });
});

describe('signature', () => {
  it('is v1= hex HMAC-SHA256 over "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', 'whsec_x').update('1700000000.{"a":1}').digest('hex');
    expect(webhookSignature('whsec_x', 1700000000, '{"a":1}')).toBe(`v1=${expected}`);
  });

  it('the header carries one signature per secret, comma-separated, in the order given (newest first)', () => {
    const sign = (secret: string) => webhookSignature(secret, 1700000000, '{"a":1}');
    expect(webhookSignatureHeader(['whsec_new', 'whsec_old'], 1700000000, '{"a":1}')).toBe(
      `${sign('whsec_new')},${sign('whsec_old')}`,
    );
    expect(webhookSignatureHeader(['whsec_new'], 1700000000, '{"a":1}')).toBe(sign('whsec_new'));
  });
});
