import { describe, expect, it } from '@jest/globals';
import { RequestContext, TenantContextMissingError } from '../request-context.js';

describe('RequestContext', () => {
  it('fails closed when no tenant has been established', () => {
    expect(() => RequestContext.requireTenantId()).toThrow(TenantContextMissingError);
    RequestContext.run(() => {
      expect(() => RequestContext.requireTenantId()).toThrow(TenantContextMissingError);
    });
  });

  it('keeps the tenant across awaits and isolates concurrent requests', async () => {
    const seen = await Promise.all(
      ['t-1', 't-2'].map((tenantId) =>
        RequestContext.run(async () => {
          RequestContext.setActor({ tenantId });
          await new Promise((r) => setTimeout(r, 5));
          return RequestContext.requireTenantId();
        }),
      ),
    );
    expect(seen).toEqual(['t-1', 't-2']);
  });

  it('refuses to switch an established tenant', () => {
    RequestContext.runAs({ tenantId: 'a' }, () => {
      expect(() => RequestContext.setActor({ tenantId: 'b' })).toThrow(/switch tenants/);
    });
  });

  it('memoises per-request items', () => {
    RequestContext.run(() => {
      const first = RequestContext.item('k', () => ({}));
      expect(RequestContext.item('k', () => ({}))).toBe(first);
    });
  });
});
