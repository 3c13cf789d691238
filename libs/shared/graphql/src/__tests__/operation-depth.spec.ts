import { describe, expect, it } from '@jest/globals';
import { FragmentDefinitionNode, Kind, OperationDefinitionNode, parse } from 'graphql';
import { operationDepth } from '../query-limits.plugin.js';

function depthOf(source: string): number {
  const document = parse(source);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
    if (def.kind === Kind.OPERATION_DEFINITION) operation = def;
  }
  return operationDepth(operation!.selectionSet, fragments);
}

describe('operationDepth', () => {
  it('counts the deepest field path', () => {
    expect(depthOf('{ me { id } }')).toBe(2);
    expect(depthOf('{ a { b { c { d } } } e }')).toBe(4);
  });

  it('follows fragments and inline fragments', () => {
    expect(depthOf('{ a { ...F } } fragment F on T { b { c } }')).toBe(3);
    expect(depthOf('{ a { ... on T { b { c } } } }')).toBe(3);
  });

  it('does not loop on self-referencing fragments', () => {
    expect(depthOf('{ a { ...F } } fragment F on T { b { ...F } }')).toBe(2);
  });

  it('leaves introspection to the introspection switch', () => {
    expect(depthOf('{ __schema { types { fields { type { ofType { name } } } } } }')).toBe(0);
  });
});
