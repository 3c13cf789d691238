import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A number with at most `places` decimals. class-validator's `IsNumber({ maxDecimalPlaces })` reads the
 * decimals from `String(value)` and throws on exponent notation (1e-300), which turned such input into an
 * INTERNAL_SERVER_ERROR; rounding to `places` and comparing has no such case.
 */
export function MaxDecimalPlaces(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxDecimalPlaces',
      constraints: [places],
      validator: {
        validate: (value) => typeof value === 'number' && Number(value.toFixed(places)) === value,
        defaultMessage: () => `$property must have at most ${places} decimal place${places === 1 ? '' : 's'}`,
      },
    },
    options,
  );
}
