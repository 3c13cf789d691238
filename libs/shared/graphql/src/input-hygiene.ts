import { getMetadataStorage, ValidationError } from 'class-validator';
import type { FieldProblem } from './app-error.js';

// NUL (PostgreSQL text cannot hold it) and UTF-16 halves without their partner (not text at all: they cannot be
// encoded as UTF-8, and encodeURIComponent and friends throw on them). JSON.parse lets both through.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isUnsafeText = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

const itemPath = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * Every string in an argument, however deep in input objects and lists, that contains NUL or an unpaired
 * surrogate, named by its path (`email`, `title`, `prompts[2].label`).
 */
export function unsafeTextProblems(value: unknown, path: string): FieldProblem[] {
  if (typeof value === 'string') {
    return isUnsafeText(value)
      ? [{ field: path, messages: [`${path} must not contain NUL characters or unpaired surrogates`] }]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => unsafeTextProblems(item, itemPath(path, i)));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => unsafeTextProblems(item, itemPath(path, key)));
  }
  return [];
}

const REQUIRED_TEXT_RULES = new Set(['minLength', 'isLength', 'isNotEmpty']);
const requiredTextCache = new Map<unknown, Set<string>>();

/** The properties of a DTO class its class-validator rules require to have at least one character. */
function requiredTextProperties(target: object): Set<string> {
  let properties = requiredTextCache.get(target);
  if (!properties) {
    const rules = getMetadataStorage().getTargetValidationMetadatas(
      target as new () => object,
      '',
      true,
      false,
    );
    properties = new Set(
      rules
        .filter(
          (rule) =>
            REQUIRED_TEXT_RULES.has(rule.name ?? '') &&
            (rule.name === 'isNotEmpty' || rule.constraints?.[0] >= 1),
        )
        .map((rule) => rule.propertyName),
    );
    requiredTextCache.set(target, properties);
  }
  return properties;
}

const problem = (property: string, value: unknown, children: ValidationError[], message?: string) =>
  Object.assign(new ValidationError(), {
    property,
    value,
    children,
    ...(message ? { constraints: { isNotBlank: message } } : {}),
  });

/**
 * Required text (names, titles, labels: any string a DTO requires at least one character of) that is only
 * whitespace, as class-validator errors: services store it trimmed, so it would otherwise reach a database
 * CHECK and come back as a range error naming no field.
 */
export function blankTextErrors(object: object): ValidationError[] {
  const required = requiredTextProperties(object.constructor);
  return Object.entries(object).flatMap(([key, value]): ValidationError[] => {
    if (typeof value === 'string') {
      return required.has(key) && value.trim() === ''
        ? [problem(key, value, [], `${key} is required and must not be blank`)]
        : [];
    }
    const children = Array.isArray(value)
      ? value.flatMap((item, i) => (item && typeof item === 'object' ? nested(String(i), item) : []))
      : value && typeof value === 'object'
        ? blankTextErrors(value)
        : [];
    return children.length ? [problem(key, value, children)] : [];
  });
}

const nested = (property: string, item: object) => {
  const children = blankTextErrors(item);
  return children.length ? [problem(property, item, children)] : [];
};
