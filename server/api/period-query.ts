import { PeriodError } from '../principles/period.js';
import { ApiError } from './errors.js';

/** A period read from the query, or a 400 naming `period` and the forms it takes. */
export function periodQueried<T>(read: () => T, accepted: string): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof PeriodError)) throw error;
    const message = `query parameter 'period': ${error.message}`;
    throw new ApiError('invalid', message, [{ path: 'period', message, accepted }]);
  }
}
