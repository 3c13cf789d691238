import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JOB_CATALOG, JOB_NAMES, JobName } from './job-catalog.js';
import { JOB_HANDLER } from './job-handler.decorator.js';

export type JobHandlerFn = (job: Job) => Promise<unknown>;

export class JobHandlerRegistryError extends Error {}

/**
 * Finds every @JobHandler at boot and checks the catalogue against them: a job name with no handler, or
 * with two, stops the worker before it takes a single job (as Immich does).
 */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, JobHandlerFn>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found = new Map<JobName, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, prototype[method]);
        if (!name) continue;
        if (!(name in JOB_CATALOG)) throw new JobHandlerRegistryError(`@JobHandler("${name}") is not in JOB_CATALOG`);
        found.set(name, [...(found.get(name) ?? []), `${prototype.constructor.name}.${method}`]);
        this.handlers.set(name, (job) => (instance[method] as JobHandlerFn).call(instance, job));
      }
    }
    const problems = JOB_NAMES.flatMap((name) => {
      const owners = found.get(name) ?? [];
      if (owners.length === 0) return [`${name} has no handler`];
      if (owners.length > 1) return [`${name} has ${owners.length} handlers: ${owners.join(', ')}`];
      return [];
    });
    if (problems.length > 0) throw new JobHandlerRegistryError(`Job handlers are inconsistent: ${problems.join('; ')}`);
  }

  handlerFor(name: string): JobHandlerFn {
    const handler = this.handlers.get(name as JobName);
    if (!handler) throw new JobHandlerRegistryError(`No handler for job "${name}"`);
    return handler;
  }
}
