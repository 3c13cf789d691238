import {
  DeepPartial,
  EntityManager,
  EntityMetadata,
  EntityTarget,
  FindManyOptions,
  FindOptionsWhere,
  ObjectLiteral,
  SelectQueryBuilder,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';

type Where<E> = FindOptionsWhere<E>;

/** How `select` reads an entity's rows: its select list for an alias, and one row to an entity. */
interface RowShape {
  columns: (alias: string) => string;
  hydrate: (row: Record<string, unknown>) => ObjectLiteral;
}
const shapes = new WeakMap<EntityMetadata, RowShape>();

/**
 * The entity's selected columns, each named by its property, and TypeORM's own hydration of each (its driver's
 * prepareHydratedValue, transformers included). `date` columns come as text, the string TypeORM would make of
 * them. Built once per entity; only plain columns (no embedded or relation columns), which is checked.
 */
function shapeOf(metadata: EntityMetadata): RowShape {
  let shape = shapes.get(metadata);
  if (shape) return shape;
  const columns = metadata.columns.filter((c) => c.isSelect && !c.isVirtual);
  const unsupported = columns.find((c) => c.embeddedMetadata || c.relationMetadata);
  if (unsupported) throw new Error(`${metadata.name}.${unsupported.propertyPath}: select() reads plain columns only`);
  const driver = metadata.connection.driver;
  shape = {
    columns: (alias) =>
      columns
        .map((c) => `${alias}.${c.databaseName}${c.type === 'date' ? '::text' : ''} AS "${c.propertyName}"`)
        .join(', '),
    hydrate: (row) => {
      const entity = metadata.create(undefined, { fromDeserializer: true });
      for (const c of columns) entity[c.propertyName] = driver.prepareHydratedValue(row[c.propertyName], c);
      return entity;
    },
  };
  shapes.set(metadata, shape);
  return shape;
}

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

  /**
   * Entities from a hand-written SELECT, for small reads run on every request, where building the SQL with
   * the query builder and mapping its rows back cost more than the statement. `sql` gets the select list of
   * `alias` and must filter `alias`.tenant_id by `$1` (the tenant); `parameters` are `$2`… Column order, as
   * the entity declares them.
   */
  async select(alias: string, sql: (columns: string) => string, parameters: unknown[] = []): Promise<E[]> {
    const shape = shapeOf(this.manager.connection.getMetadata(this.target));
    const text = sql(shape.columns(alias));
    if (!text.includes(`${alias}.tenant_id = $1`)) throw new Error(`select(): the statement must filter ${alias}.tenant_id = $1`);
    const rows: Record<string, unknown>[] = await this.manager.query(text, [this.tenantId, ...parameters]);
    return rows.map((row) => shape.hydrate(row) as E);
  }

  /** ORDER BY terms of `alias` for an order by property (as TypeORM's `order`), for `select`. */
  orderBy(alias: string, order: Record<string, 'ASC' | 'DESC'>): string {
    const metadata = this.manager.connection.getMetadata(this.target);
    return Object.entries(order)
      .map(([property, way]) => {
        const column = metadata.findColumnWithPropertyName(property);
        if (!column) throw new Error(`${metadata.name} has no column ${property}`);
        return `${alias}.${column.databaseName} ${way}`;
      })
      .join(', ');
  }

  queryBuilder(alias: string): SelectQueryBuilder<E> {
    return this.manager
      .createQueryBuilder(this.target, alias)
      .where(`${alias}.tenant_id = :tenantId`, { tenantId: this.tenantId });
  }
}
