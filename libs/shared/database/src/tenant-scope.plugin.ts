import {
  AliasNode,
  AndNode,
  BinaryOperationNode,
  CastNode,
  ColumnNode,
  DataTypeNode,
  type ColumnType,
  DeleteQueryNode,
  IdentifierNode,
  InsertQueryNode,
  JoinNode,
  type KyselyPlugin,
  OnNode,
  type OperationNode,
  OperationNodeTransformer,
  OperatorNode,
  ParensNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PrimitiveValueListNode,
  type QueryId,
  type QueryResult,
  ReferenceNode,
  type RootOperationNode,
  SelectionNode,
  SelectQueryNode,
  TableNode,
  type UnknownRow,
  UpdateQueryNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  WhereNode,
} from 'kysely';
import { type DB, TENANT_COLUMNS } from './db-types.generated.js';

type TenantColumn<T extends keyof DB> = T extends keyof typeof TENANT_COLUMNS ? (typeof TENANT_COLUMNS)[T] : never;

/**
 * The schema as seen through the tenant layer: the tenant column can be read but never written (the layer
 * sets it on inserts), so the compiler rejects code that passes a tenant by hand.
 */
export type TenantDB = {
  [T in keyof DB]: {
    [C in keyof DB[T]]: C extends TenantColumn<T> ? ColumnType<string, never, never> : DB[T][C];
  };
};

const TENANT_COLUMN: Readonly<Record<string, string>> = TENANT_COLUMNS;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown when a statement touches a tenant-owned table in a way the layer cannot scope. */
export class UnscopableQueryError extends Error {
  override name = 'UnscopableQueryError';
}

/**
 * The service-layer wall of tenant isolation (RLS is the database's): every SELECT, UPDATE and DELETE gets
 * `<table>.tenant_id = <tenant>` for each tenant-owned table it reads, in its subqueries and CTEs too (a join's
 * goes into its ON, so outer joins keep their meaning); every INSERT into one gets the tenant column set.
 * What it cannot scope (a whole raw statement, INSERT … SELECT, MERGE, a tenant column written by hand) is
 * refused rather than run unscoped. Raw `sql` fragments inside a query are the author's: RLS still holds.
 */
export class TenantScopePlugin implements KyselyPlugin {
  private readonly scope: TenantScope;

  constructor(tenantId: string) {
    // Fails closed: no tenant, no statement.
    if (!UUID.test(tenantId ?? '')) throw new Error('Typed SQL needs the tenant id of a verified credential');
    this.scope = new TenantScope(tenantId);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const { node } = args;
    if (
      !SelectQueryNode.is(node) &&
      !InsertQueryNode.is(node) &&
      !UpdateQueryNode.is(node) &&
      !DeleteQueryNode.is(node)
    ) {
      throw new UnscopableQueryError(`The tenant layer cannot scope a ${node.kind}; write it with the query builder`);
    }
    return this.scope.transformNode(node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

class TenantScope extends OperationNodeTransformer {
  constructor(private readonly tenantId: string) {
    super();
  }

  /** `<alias or table>.<tenant column> = $tenant` for a tenant-owned table (optionally aliased), else nothing. */
  private filterOf(item: OperationNode): OperationNode | undefined {
    let table = item;
    let name: TableNode | undefined;
    if (AliasNode.is(item) && IdentifierNode.is(item.alias)) {
      table = item.node;
      name = TableNode.create(item.alias.name);
    }
    if (!TableNode.is(table)) return undefined;
    const column = this.columnOf(table);
    if (!column) return undefined;
    return BinaryOperationNode.create(
      ReferenceNode.create(ColumnNode.create(column), name ?? table),
      OperatorNode.create('='),
      ValueNode.create(this.tenantId),
    );
  }

  private columnOf(table: TableNode): string | undefined {
    const schema = table.table.schema?.name;
    if (schema !== undefined && schema !== 'public') return undefined;
    return TENANT_COLUMN[table.table.identifier.name];
  }

  private withFilters(where: WhereNode | undefined, filters: OperationNode[]): WhereNode | undefined {
    if (filters.length === 0) return where;
    let all = filters.reduce((left, right) => AndNode.create(left, right));
    if (where) all = AndNode.create(all, ParensNode.is(where.where) ? where.where : ParensNode.create(where.where));
    return WhereNode.create(all);
  }

  /** Filters for FROM-like items, plus each join's: into its ON, or into WHERE for a join without one. */
  private scoped<N extends { where?: WhereNode; joins?: ReadonlyArray<JoinNode> }>(
    node: N,
    items: ReadonlyArray<OperationNode>,
  ): N {
    const filters = items.map((item) => this.filterOf(item)).filter((f) => f !== undefined);
    const joins = node.joins?.map((join) => {
      const filter = this.filterOf(join.table);
      if (!filter) return join;
      if (!join.on) {
        filters.push(filter);
        return join;
      }
      return Object.freeze({ ...join, on: OnNode.cloneWithOperation(join.on, 'And', filter) });
    });
    return Object.freeze({ ...node, joins, where: this.withFilters(node.where, filters) });
  }

  protected override transformSelectQuery(node: SelectQueryNode, queryId?: QueryId): SelectQueryNode {
    const inner = super.transformSelectQuery(node, queryId);
    return this.scoped(inner, inner.from?.froms ?? []);
  }

  protected override transformUpdateQuery(node: UpdateQueryNode, queryId?: QueryId): UpdateQueryNode {
    const inner = super.transformUpdateQuery(node, queryId);
    refuseTenantWrites(inner.updates?.map((u) => u.column));
    return this.scoped(inner, [...(inner.table ? [inner.table] : []), ...(inner.from?.froms ?? [])]);
  }

  protected override transformDeleteQuery(node: DeleteQueryNode, queryId?: QueryId): DeleteQueryNode {
    const inner = super.transformDeleteQuery(node, queryId);
    return this.scoped(inner, [...inner.from.froms, ...(inner.using?.tables ?? [])]);
  }

  protected override transformInsertQuery(node: InsertQueryNode, queryId?: QueryId): InsertQueryNode {
    const inner = super.transformInsertQuery(node, queryId);
    const column = inner.into && this.columnOf(inner.into);
    if (!inner.into || !column) return inner;
    const table = inner.into.table.identifier.name;
    if (column !== 'tenant_id') throw new UnscopableQueryError(`The tenant layer does not insert into ${table}`);
    if (inner.columns?.some((c) => c.column.name === column)) {
      throw new UnscopableQueryError(`${table}.${column} is set by the tenant layer, not by the query`);
    }
    const values = this.withTenantValue(table, inner);
    const updates = inner.onConflict?.updates;
    refuseTenantWrites(updates?.map((u) => u.column));
    // ON CONFLICT DO UPDATE may only update this tenant's row.
    const onConflict =
      inner.onConflict && updates
        ? Object.freeze({
            ...inner.onConflict,
            updateWhere: this.withFilters(inner.onConflict.updateWhere, [this.filterOf(inner.into)!]),
          })
        : inner.onConflict;
    return Object.freeze({
      ...inner,
      columns: [...(inner.columns ?? []), ColumnNode.create(column)],
      values,
      onConflict,
    });
  }

  /** The inserted rows, each with the tenant as its last value (the tenant column is added last). */
  private withTenantValue(table: string, insert: InsertQueryNode): OperationNode {
    const { values } = insert;
    if (values && ValuesNode.is(values)) {
      return ValuesNode.create(
        values.values.map((row) =>
          PrimitiveValueListNode.is(row)
            ? PrimitiveValueListNode.create([...row.values, this.tenantId])
            : ValueListNode.create([...row.values, ValueNode.create(this.tenantId)]),
        ),
      );
    }
    // INSERT … SELECT: with its columns named, the tenant goes last in the select list as well.
    if (values && SelectQueryNode.is(values) && insert.columns?.length && !values.setOperations?.length) {
      const tenant = CastNode.create(ValueNode.create(this.tenantId), DataTypeNode.create('uuid'));
      return Object.freeze({
        ...values,
        selections: [...(values.selections ?? []), SelectionNode.create(AliasNode.create(tenant, IdentifierNode.create('tenant_id')))],
      });
    }
    throw new UnscopableQueryError(`The tenant layer cannot scope this INSERT into ${table} (name its columns)`);
  }

  protected override transformMergeQuery(): never {
    throw new UnscopableQueryError('The tenant layer cannot scope MERGE');
  }
}

/** A row never moves to another tenant. */
function refuseTenantWrites(columns: OperationNode[] | undefined): void {
  if (columns?.some((column) => ColumnNode.is(column) && column.column.name === 'tenant_id')) {
    throw new UnscopableQueryError('tenant_id is set by the tenant layer, not by the query');
  }
}
