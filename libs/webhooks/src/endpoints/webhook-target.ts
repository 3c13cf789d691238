import { addressesOf, isPrivateAddress } from '#cairn/shared/net';

export interface TargetPolicy {
  /** https only, unless false (development and test). */
  requireHttps: boolean;
  allowPrivate: boolean;
}

/** Why a URL may not be used as a webhook target, or null when it may. */
export async function targetProblem(raw: string, policy: TargetPolicy): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must use https';
  if (policy.requireHttps && url.protocol !== 'https:') return 'url must use https';
  if (url.username || url.password) return 'url must not contain credentials';
  if (url.hash) return 'url must not contain a fragment';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = await addressesOf(host);
  } catch {
    return `url host ${host} could not be resolved`;
  }
  if (addresses.length === 0) return `url host ${host} could not be resolved`;
  if (!policy.allowPrivate && addresses.some(isPrivateAddress)) {
    // Says how to allow it: trying webhooks with a receiver on one's own machine is the usual first step.
    return 'url must not point to a loopback, private, link-local or unique-local address (to try webhooks with a receiver on this machine, start Cairn with WEBHOOK_ALLOW_PRIVATE_TARGETS=true)';
  }
  return null;
}
