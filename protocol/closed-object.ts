/**
 * A strict zod object whose unknown-key error names the stray keys and the known ones, so a
 * misspelled setting (`moveTimeMS`) is refused with the spelling that would have worked.
 */
import { z } from 'zod';

export function closedObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const keys = issue.keys.map((key) => `"${key}"`).join(', ');
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} (known: ${known})`;
    },
  });
}
