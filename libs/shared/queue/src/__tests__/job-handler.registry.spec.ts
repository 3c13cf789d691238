import { describe, expect, it } from '@jest/globals';
import { Injectable, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test, TestingModule } from '@nestjs/testing';
import type { Job } from 'bullmq';
import { JOB_NAMES, JobName } from '../job-catalog.js';
import { JobHandler } from '../job-handler.decorator.js';
import { JobHandlerRegistry, JobHandlerRegistryError } from '../job-handler.registry.js';
import { jobId } from '../job-id.js';

const PURGE = 'identity.purge-expired-credentials';

@Injectable()
class Dependency {
  readonly greeting = 'from the injected dependency';
}

@Injectable()
class PurgeHandler {
  readonly seen: Job[] = [];

  constructor(private readonly dependency: Dependency) {}

  @JobHandler(PURGE)
  async run(job: Job) {
    this.seen.push(job);
    return { handledBy: 'PurgeHandler', data: job.data, note: this.dependency.greeting };
  }
}

@Injectable()
class DuplicatePurgeHandler {
  @JobHandler(PURGE)
  async handle() {
    return 'duplicate';
  }
}

@Injectable()
class UnrelatedService {
  ping() {
    return 'pong';
  }
}

@Injectable()
class UncataloguedHandler {
  @JobHandler('reporting.not-in-the-catalogue' as JobName)
  async run() {
    return 'nope';
  }
}

/** One handler for every other catalogued job, so each test here is about the purge job alone. */
@Injectable()
class RestOfCatalogueHandlers {}
for (const name of JOB_NAMES.filter((n) => n !== PURGE)) {
  const descriptor = { value: async () => name, writable: true, configurable: true };
  Object.defineProperty(RestOfCatalogueHandlers.prototype, name, descriptor);
  JobHandler(name)(RestOfCatalogueHandlers.prototype, name, descriptor);
}

async function boot(...providers: Type[]): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [Dependency, RestOfCatalogueHandlers, ...providers, JobHandlerRegistry],
  }).compile();
  // compile() instantiates; onModuleInit (where the registry checks the catalogue) runs at init().
  return moduleRef.init();
}

const fakeJob = (data: Record<string, unknown> = {}) => ({ id: '1', name: PURGE, data }) as unknown as Job;

describe('JobHandlerRegistry', () => {
  it('boots with exactly one handler per catalogued job and dispatches to it, bound to its instance', async () => {
    const moduleRef = await boot(PurgeHandler, UnrelatedService);
    try {
      const registry = moduleRef.get(JobHandlerRegistry);
      const job = fakeJob({ reason: 'test' });
      await expect(registry.handlerFor(PURGE)(job)).resolves.toEqual({
        handledBy: 'PurgeHandler',
        data: { reason: 'test' },
        note: 'from the injected dependency',
      });
      expect(moduleRef.get(PurgeHandler).seen).toEqual([job]);
    } finally {
      await moduleRef.close();
    }
  });

  it('refuses to boot when two providers handle the same job, naming both', async () => {
    const failure = boot(PurgeHandler, DuplicatePurgeHandler);
    await expect(failure).rejects.toThrow(JobHandlerRegistryError);
    await expect(failure).rejects.toThrow(`${PURGE} has 2 handlers`);
    await expect(failure).rejects.toThrow(/PurgeHandler\.run/);
    await expect(failure).rejects.toThrow(/DuplicatePurgeHandler\.handle/);
  });

  it('refuses to boot when a catalogued job has no handler, naming the job', async () => {
    const failure = boot(UnrelatedService);
    await expect(failure).rejects.toThrow(JobHandlerRegistryError);
    await expect(failure).rejects.toThrow(`${PURGE} has no handler`);
  });

  it('refuses a @JobHandler for a job name that is not in the catalogue', async () => {
    const failure = boot(PurgeHandler, UncataloguedHandler);
    await expect(failure).rejects.toThrow(JobHandlerRegistryError);
    await expect(failure).rejects.toThrow(
      '@JobHandler("reporting.not-in-the-catalogue") is not in JOB_CATALOG',
    );
  });

  it('throws for a job name it has no handler for', async () => {
    const moduleRef = await boot(PurgeHandler);
    try {
      const registry = moduleRef.get(JobHandlerRegistry);
      expect(() => registry.handlerFor('unknown')).toThrow(JobHandlerRegistryError);
      expect(() => registry.handlerFor('unknown')).toThrow('No handler for job "unknown"');
    } finally {
      await moduleRef.close();
    }
  });
});

describe('jobId', () => {
  it('is deterministic: the same parts always give the same id', () => {
    const a = jobId(PURGE, 'tenant-1', 'user-2', '2025-01');
    expect(a).toBe(`${PURGE}/tenant-1/user-2/2025-01`);
    expect(jobId(PURGE, 'tenant-1', 'user-2', '2025-01')).toBe(a);
    expect(jobId(PURGE, 'tenant-1', 'user-3', '2025-01')).not.toBe(a);
    expect(jobId(PURGE)).toBe(PURGE);
  });

  it("rejects ':' (forbidden by BullMQ) in any part", () => {
    expect(() => jobId('kind:x', 'a')).toThrow('Invalid job id part "kind:x"');
    expect(() => jobId(PURGE, 'a', 'b:c')).toThrow('Invalid job id part "b:c"');
  });

  it("rejects '/' (the separator) in any part, so ids cannot collide", () => {
    expect(() => jobId('kind/x')).toThrow('Invalid job id part "kind/x"');
    expect(() => jobId(PURGE, 'a/b')).toThrow('Invalid job id part "a/b"');
  });

  it('rejects empty parts and whitespace', () => {
    expect(() => jobId('')).toThrow('Invalid job id part ""');
    expect(() => jobId(PURGE, 'a', '')).toThrow('Invalid job id part ""');
    expect(() => jobId(PURGE, 'a b')).toThrow('Invalid job id part "a b"');
  });
});
