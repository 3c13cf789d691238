import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AppError } from './app-error.js';

/** `@Args('id', { type: () => ID }, IdPipe)`: malformed ids are bad input, not a database error. */
@Injectable()
export class IdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: { data?: string }): string {
    const field = metadata.data ?? 'id';
    if (typeof value !== 'string' || !isUUID(value)) {
      throw AppError.badInput(`Invalid input: ${field} must be an id returned by this API`, [
        { field, messages: [`${field} must be a UUID`] },
      ]);
    }
    return value.toLowerCase();
  }
}
