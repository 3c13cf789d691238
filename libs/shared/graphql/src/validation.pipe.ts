import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { AppError, FieldProblem } from './app-error.js';
import { blankTextErrors, unsafeTextProblems } from './input-hygiene.js';

// class-validator names list items by index: `prompts.2.label` is written `prompts[2].label`, as elsewhere.
const childPath = (parent: string, property: string) =>
  /^\d+$/.test(property) ? `${parent}[${property}]` : parent ? `${parent}.${property}` : property;

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = childPath(parent, error.property);
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function badInputOf(fields: FieldProblem[]): AppError {
  const summary = fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ');
  return AppError.badInput(`Invalid input: ${summary}`, fields);
}

/**
 * class-validator finds a class's rules on every validation by testing the class against every validated class
 * for inheritance (hundreds of them): a few percent of a small read's CPU, for page arguments. The rules are
 * fixed once the classes are defined (decorators run as they are), so the lookup is memoised per class and
 * options. Schema-based validation (not used here) is left alone.
 */
function memoiseRuleLookup(): void {
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const memo = new WeakMap<object, Map<string, ReturnType<typeof lookup>>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (schema !== undefined) return lookup(target, schema, always, strictGroups, groups);
    let byOptions = memo.get(target);
    if (!byOptions) memo.set(target, (byOptions = new Map()));
    const key = `${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
}
memoiseRuleLookup();

/** `@nestjs/graphql`'s GqlParamtype.ARGS (not exported): the value of an `@Args()` parameter. */
const GRAPHQL_ARGS = 3;
const CHECKED_PARAMS = new Set<unknown>([GRAPHQL_ARGS, 'body', 'query', 'param']);

/**
 * The one input layer every resolver argument and HTTP parameter passes through (global APP_PIPE): text
 * with NUL or unpaired surrogates is refused first, whatever the argument (DTO, scalar id/email/token, list),
 * then class-validator runs with required text also refused when it is only whitespace. Every problem is
 * BAD_USER_INPUT naming its field: a DTO's fields by their path inside it (`title`, `prompts[2].label`), a
 * scalar argument by its name (`email`).
 */
export class InputValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => badInputOf(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only what a caller sent is input. A field resolver's parent, the context and the info are the server's
    // own objects: transforming and validating the parent entity on every field of every row costs more than
    // resolving the field.
    if (!CHECKED_PARAMS.has(metadata.type)) return value;
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    const unsafe = unsafeTextProblems(value, isObject ? '' : (metadata.data ?? ''));
    if (unsafe.length) throw badInputOf(unsafe);
    return super.transform(value, metadata);
  }

  protected override async validate(object: object, options?: object): Promise<ValidationError[]> {
    return mergeByProperty([...(await super.validate(object, options)), ...blankTextErrors(object)]);
  }
}

/** One error per property: class-validator's own and the blank-text ones for the same field are merged. */
function mergeByProperty(errors: ValidationError[]): ValidationError[] {
  const byProperty = new Map<string, ValidationError>();
  for (const error of errors) {
    const seen = byProperty.get(error.property);
    if (!seen) {
      byProperty.set(error.property, error);
      continue;
    }
    if (error.constraints) seen.constraints = { ...seen.constraints, ...error.constraints };
    seen.children = mergeByProperty([...(seen.children ?? []), ...(error.children ?? [])]);
  }
  return [...byProperty.values()];
}

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe();
}
