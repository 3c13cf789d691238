import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import {
  DocumentNode,
  FragmentDefinitionNode,
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  Kind,
  SelectionSetNode,
} from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { AppError } from './app-error.js';
import { MAX_PAGE_SIZE } from './connection.js';
import { ErrorCode } from './error-code.js';

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
}

/** Depth of the deepest field path; introspection meta-fields are left to the introspection switch. */
export function operationDepth(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  visited: Set<string> = new Set(),
): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const below = selection.selectionSet ? operationDepth(selection.selectionSet, fragments, visited) : 0;
      deepest = Math.max(deepest, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, operationDepth(selection.selectionSet, fragments, visited));
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || visited.has(name)) continue;
      deepest = Math.max(
        deepest,
        operationDepth(fragment.selectionSet, fragments, new Set([...visited, name])),
      );
    }
  }
  return deepest;
}

const badPageSize = (message: string) =>
  AppError.badInput(`Invalid input: first: ${message}`, [{ field: 'first', messages: [message] }]);

/**
 * A list field costs its children times the page size asked for, so `first: 100` nested twice is expensive.
 * A page size outside 1..MAX_PAGE_SIZE is refused here, naming the argument, before it could make the whole
 * operation look too complex (or, when negative, cheaper than it is).
 */
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args?.first === 'number' ? args.first : undefined;
  if (first === undefined) return undefined;
  if (first > MAX_PAGE_SIZE) throw badPageSize(`first must not be greater than ${MAX_PAGE_SIZE}`);
  if (first < 1) throw badPageSize('first must not be less than 1');
  return 1 + childComplexity * first;
};

const limitError = (code: ErrorCode, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** The caller's mistake found before execution: BAD_USER_INPUT (unless it says more precisely) with HTTP 400. */
const asBadRequest = (error: GraphQLError) =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    originalError: error.originalError,
    extensions: {
      ...error.extensions,
      code: error.extensions.code ?? ErrorCode.BAD_USER_INPUT,
      http: { status: 400 },
    },
  });

export interface LimitedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * Throws QUERY_TOO_DEEP or QUERY_TOO_COMPLEX for a parsed and validated operation. Shared by the HTTP plugin
 * below and the WebSocket transport, so neither path is a way around the limits.
 */
export function enforceQueryLimits(op: LimitedOperation, limits: QueryLimits): void {
  const { depth, complexity } = measured(op);
  if (depth > limits.maxDepth) {
    throw limitError(
      ErrorCode.QUERY_TOO_DEEP,
      `Query depth ${depth} exceeds the maximum of ${limits.maxDepth}`,
    );
  }
  if (complexity > limits.maxComplexity) {
    throw limitError(
      ErrorCode.QUERY_TOO_COMPLEX,
      `Query complexity ${complexity} exceeds the maximum of ${limits.maxComplexity}`,
    );
  }
}

/**
 * Depth and complexity depend only on the document, the operation and the variables. Apollo hands the same
 * document object for the same query text, so both are remembered per document (complexity for its last few
 * operation + variables), and a frontend's repeated query is not walked against the schema every time.
 */
const MEMO_PER_DOCUMENT = 32;
const memo = new WeakMap<DocumentNode, { depths: Map<string, number>; complexities: Map<string, number> }>();

function measured(op: LimitedOperation): { depth: number; complexity: number } {
  let entry = memo.get(op.document);
  if (!entry) memo.set(op.document, (entry = { depths: new Map(), complexities: new Map() }));
  const name = op.operationName ?? '';
  let depth = entry.depths.get(name);
  if (depth === undefined) {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const def of op.document.definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
    }
    const operation = getOperationAST(op.document, op.operationName ?? undefined);
    depth = operation ? operationDepth(operation.selectionSet, fragments) : 0;
    entry.depths.set(name, depth);
  }
  const key = `${name}\u0000${JSON.stringify(op.variables ?? {})}`;
  let complexity = entry.complexities.get(key);
  if (complexity === undefined) {
    try {
      complexity = getComplexity({
        schema: op.schema,
        query: op.document,
        operationName: op.operationName ?? undefined,
        variables: op.variables ?? {},
        estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
      });
    } catch (error) {
      // getComplexity coerces the variables before execution does; a value of the wrong type (an unknown
      // enum value, 2.5 for an Int, 2025-02-30 for a LocalDate) is the caller's mistake: 400, never a 500.
      if (error instanceof GraphQLError) throw asBadRequest(error);
      throw error;
    }
    if (entry.complexities.size >= MEMO_PER_DOCUMENT) entry.complexities.delete(entry.complexities.keys().next().value as string);
    entry.complexities.set(key, complexity);
  }
  return { depth, complexity };
}

/** Rejects over-deep or over-costly operations after parsing and validation, before anything executes. */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<object>> {
      return {
        async didResolveOperation({ request, document, schema }) {
          enforceQueryLimits(
            { schema, document, operationName: request.operationName, variables: request.variables },
            limits,
          );
        },
      };
    },
  };
}
