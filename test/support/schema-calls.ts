import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  getNullableType,
  type GraphQLField,
  type GraphQLInputType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';

/*
 * Calls of any operation of the schema with plausible arguments, for the suites generated over the schema
 * (hostile input, supporter tokens): every operation added later is covered without touching them.
 */

/** Ids the plausible values use by argument name (`clientId`…); any other ID is a fresh UUID. */
export type PlausibleIds = Readonly<Record<string, string>>;

function plausibleText(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('email')) return `fuzz-${randomUUID().slice(0, 8)}@example.test`;
  if (n.includes('timezone')) return 'Europe/London';
  if (n.includes('url')) return 'https://hooks.example.test/cairn';
  if (n.includes('recurrence')) return 'FREQ=WEEKLY;BYDAY=MO';
  if (n.includes('startsat')) return '2031-03-05T16:00';
  if (n.includes('slug')) return `fuzz-${randomUUID().slice(0, 8)}`;
  if (n === 'key' || n.endsWith('key')) return 'energy';
  // Never the fixtures' password, so no generated call can change a credential the suite relies on.
  if (n.includes('password')) return 'a plausible but wrong passphrase';
  return 'Plausible text';
}

function plausibleScalar(typeName: string, name: string, ids: PlausibleIds): unknown {
  switch (typeName) {
    case 'String':
      return plausibleText(name);
    case 'ID':
      return ids[name] ?? randomUUID();
    case 'Int':
      return name === 'first' ? 5 : 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'LocalDate':
      return '2031-06-02';
    case 'DateTime':
      return '2031-06-02T10:00:00.000Z';
    default:
      throw new Error(`No plausible value for the scalar ${typeName}: add one here`);
  }
}

/** A value of `type` the server would take as reasonable (input objects with their required fields only). */
export function plausible(type: GraphQLInputType, name: string, ids: PlausibleIds): unknown {
  if (isNonNullType(type)) return plausible(type.ofType, name, ids);
  if (isListType(type)) return [plausible(type.ofType as GraphQLInputType, name, ids)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return Object.fromEntries(required.map((f) => [f.name, plausible(f.type, f.name, ids)]));
  }
  return plausibleScalar(type.name, name, ids);
}

/** The operation's text, every argument a variable, selecting only `__typename` of a composite result. */
export function operationText(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  // An argument with a default takes a nullable variable, so leaving the variable out means the default.
  const declarations = field.args
    .map((a) => `$${a.name}: ${String(a.defaultValue === undefined ? a.type : getNullableType(a.type))}`)
    .join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? '{ __typename }' : '';
  return field.args.length
    ? `${kind} (${declarations}) { ${field.name}(${args}) ${selection} }`
    : `${kind} { ${field.name} ${selection} }`;
}

/** Plausible values for the required arguments (those without a default). */
export function plausibleArguments(field: GraphQLField<unknown, unknown>, ids: PlausibleIds): Record<string, unknown> {
  return Object.fromEntries(
    field.args
      .filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)
      .map((arg) => [arg.name, plausible(arg.type, arg.name, ids)]),
  );
}
