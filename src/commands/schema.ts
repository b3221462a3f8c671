import * as z from 'zod/mini';
import type { Reporter } from '../output/reporter.js';
import { describedPayloadSchema } from '../payload/payload.js';

/** The payload's JSON Schema, derived from the zod schema so that the two cannot disagree. */
export function runSchema(reporter: Reporter) {
  const schema = {
    ...z.toJSONSchema(describedPayloadSchema(), { io: 'input' }),
    title: 'petsage-build feature payload',
  };
  if (!reporter.options.json) reporter.result(schema);
  return { schema };
}
