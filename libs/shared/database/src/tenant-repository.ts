import {
  DeepPartial,
  EntityManager,
  EntityTarget,
  FindManyOptions,
  FindOptionsWhere,
  ObjectLiteral,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';

type Where<E> = FindOptionsWhere<E>;

/**
 * A repository that adds `tenant_id = :tenantId` to everything it does. It is the service-layer half of
 * tenant isolation; row-level security is the database half.
 */
export class TenantRepository<E extends ObjectLiteral & { tenantId: string }> {
  constructor(
    private readonly manager: EntityManager,
    private readonly target: EntityTarget<E>,
    readonly tenantId: string,
  ) {}

  private scope(where: Where<E> = {}): Where<E> {
    return { ...where, tenantId: this.tenantId } as Where<E>;
  }

  findOne(where: Where<E>): Promise<E | null> {
    return this.manager.findOne(this.target, { where: this.scope(where) });
  }

  findBy(where: Where<E>): Promise<E[]> {
    return this.manager.find(this.target, { where: this.scope(where) });
  }

  find(options: Omit<FindManyOptions<E>, 'where'> & { where?: Where<E> } = {}): Promise<E[]> {
    return this.manager.find(this.target, { ...options, where: this.scope(options.where) });
  }

  count(where: Where<E> = {}): Promise<number> {
    return this.manager.count(this.target, { where: this.scope(where) });
  }

  async insert(values: Omit<DeepPartial<E>, 'tenantId'>): Promise<E> {
    const entity = this.manager.create(this.target, { ...values, tenantId: this.tenantId } as DeepPartial<E>);
    return this.manager.save(this.target, entity);
  }

  save(entity: E): Promise<E> {
    if (entity.tenantId !== this.tenantId) throw new Error('Refusing to save an entity of another tenant');
    return this.manager.save(this.target, entity);
  }

  /** Returns how many rows changed, so callers can turn 0 into NOT_FOUND or CONFLICT. */
  async update(where: Where<E>, patch: QueryDeepPartialEntity<E>): Promise<number> {
    const result = await this.manager.update(this.target, this.scope(where), patch);
    return result.affected ?? 0;
  }
}
