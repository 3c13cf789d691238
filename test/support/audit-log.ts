import type { FirmFixture, GraphqlApi } from '#cairn/shared/testing';

export const AUDIT_LOG = `query ($filter: AuditLogFilter, $first: Int, $after: String) { auditLog(filter: $filter, first: $first, after: $after) {
  edges { cursor node { id action outcome actorKind actorId subjectType subjectId details { name values } createdAt } }
  pageInfo { hasNextPage endCursor } } }`;

export interface AuditNode {
  id: string;
  action: string;
  outcome: string;
  actorKind: string;
  actorId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: { name: string; values: string[] }[];
  createdAt: string;
}

/** The firm's audit entries matching `filter`, newest first, as its first ADMIN reads them. */
export async function auditEntries(
  api: GraphqlApi,
  firm: FirmFixture,
  filter: Record<string, unknown> = {},
  first = 100,
): Promise<AuditNode[]> {
  const data = await api.ok<{ auditLog: { edges: { node: AuditNode }[] } }>(
    AUDIT_LOG,
    { filter, first },
    { token: firm.admin.accessToken },
  );
  return data.auditLog.edges.map((e) => e.node);
}

/** The values of an entry's detail `name`. */
export const auditDetail = (entry: AuditNode, name: string) =>
  entry.details.find((d) => d.name === name)?.values;
