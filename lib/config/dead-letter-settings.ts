import { z } from 'zod';

/** A setting given as JSON text, checked against `schema` once parsed. */
const jsonSetting = <T extends z.ZodType>(schema: T, example: string) =>
  z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

const functionName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'is not a topology function name');

/**
 * FUNCTION_NAMES: each function a redrive may hand a record back to, by its
 * topology name, and the name it was deployed under (CDK names them). The cloud
 * stack sets it; locally the runtime hands records to its own functions.
 */
export const FunctionNamesSetting = jsonSetting(
  z.record(functionName, z.string().min(1)),
  '{"deliver":"Rapport-FunctionsDeliver…"}',
);
export type FunctionNamesSetting = z.infer<typeof FunctionNamesSetting>;

/**
 * One SQS dead-letter queue the intake empties: its URL, and for an asynchronous
 * function's queue the function whose failures it holds (its messages are the
 * events themselves). The stream mappings' queue names no function: each of its
 * messages says which function gave up on the batch.
 */
export const DeadLetterQueueSetting = z.object({
  url: z.url(),
  functionName: functionName.optional(),
});
export type DeadLetterQueueSetting = z.infer<typeof DeadLetterQueueSetting>;

/** DEAD_LETTER_QUEUES: the queues the intake empties into the dead letters; the cloud stack sets it. */
export const DeadLetterQueuesSetting = jsonSetting(
  z.array(DeadLetterQueueSetting),
  '[{"url":"https://sqs…/StreamsDlq"},{"url":"https://sqs…/FeedbackDlq","functionName":"ses-feedback"}]',
);
