/** Booking refusals (src/booking/decide.ts) → HTTP problems, naming the body field at fault. */
import type { BookingRefusal } from '../booking/decide.js';
import { HttpProblem } from './problem.js';

export function problemFromRefusal(e: BookingRefusal, where = 'body'): HttpProblem {
  const d = e.details;
  switch (e.code) {
    case 'no-capacity':
      return new HttpProblem('no-capacity', e.message, d);
    case 'invalid-transition':
    case 'expired':
      return new HttpProblem('invalid-transition', e.message, d);
    case 'not-found':
      return new HttpProblem(
        'not-found',
        e.message,
        d.field ? { errors: [{ field: `${where}.${d.field}`, message: e.message }] } : {},
      );
    case 'forbidden':
      return new HttpProblem('forbidden', e.message);
    case 'no-legs':
      return new HttpProblem('no-route', e.message);
    default: {
      const field = typeof d.field === 'string' ? `${where}.${d.field}` : where;
      return new HttpProblem(where === 'body' ? 'invalid-body' : 'invalid-parameter', `${field}: ${e.message}`, {
        errors: [{ field, message: e.message, ...(typeof d.value === 'string' ? { value: d.value } : {}) }],
      });
    }
  }
}
