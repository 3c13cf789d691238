import { ValidateBy, ValidationOptions } from 'class-validator';

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/**
 * What is wrong with a link pattern such as `https://app.firm.example/clients/{clientId}`, or null: it must be an
 * absolute http(s) URL once its placeholders are filled, name every `required` placeholder and no others than
 * `required` and `optional`. Placeholders may stand in the host (`https://{firmSlug}.app.example/…`).
 */
export function urlPatternProblem(pattern: string, required: readonly string[], optional: readonly string[] = []): string | null {
  const used = [...pattern.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const unknown = used.filter((name) => !required.includes(name) && !optional.includes(name));
  if (unknown.length) return `has an unknown placeholder {${unknown[0]}} (known: ${[...required, ...optional].map((n) => `{${n}}`).join(', ')})`;
  const missing = required.filter((name) => !used.includes(name));
  if (missing.length) return `must contain the placeholder {${missing[0]}}`;
  if (pattern.length > 500) return 'must be at most 500 characters';
  let url: URL;
  try {
    url = new URL(pattern.replace(PLACEHOLDER, 'x0'));
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an absolute http:// or https:// URL';
  if (url.username || url.password) return 'must not carry credentials';
  return null;
}

/** The pattern with each `{name}` replaced by its value, URL-encoded (a value never changes the link's shape). */
export function fillUrlPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return pattern.replace(PLACEHOLDER, (whole, name: string) => (name in values ? encodeURIComponent(values[name]) : whole));
}

/** class-validator: a link pattern as `urlPatternProblem` has it, the message naming the property. */
export function IsUrlPattern(required: readonly string[], optional: readonly string[] = [], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUrlPattern',
      constraints: [required, optional],
      validator: {
        validate: (value) => typeof value === 'string' && urlPatternProblem(value, required, optional) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${typeof args?.value === 'string' ? urlPatternProblem(args.value, required, optional) : 'must be a string'}, e.g. ${example(required, optional)}`,
      },
    },
    options,
  );
}

const example = (required: readonly string[], optional: readonly string[]) =>
  `https://app.example.com/${[...required, ...optional].map((n) => `{${n}}`).join('/')}`;
