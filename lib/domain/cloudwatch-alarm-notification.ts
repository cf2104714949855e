import { z } from 'zod';

/**
 * What CloudWatch publishes to an SNS topic when an alarm changes state: the
 * SNS message's `Message`, as a JSON string. Only what Rapport acts on or logs
 * is kept.
 */

export const AlarmState = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
export type AlarmState = z.infer<typeof AlarmState>;

/** CloudWatch writes `2024-05-12T10:05:00.000+0000`, an offset without a colon, which is not strict ISO 8601. */
const cloudWatchTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/,
    'must be a time such as 2024-05-12T10:05:00.000+0000',
  )
  .transform((value, ctx) => {
    const time = new Date(value);
    if (Number.isNaN(time.getTime())) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a real time` });
      return z.NEVER;
    }
    return time.toISOString();
  });

export const CloudWatchAlarmNotification = z.object({
  AlarmName: z.string().min(1),
  AlarmDescription: z.string().nullish(),
  NewStateValue: AlarmState,
  NewStateReason: z.string(),
  OldStateValue: AlarmState.optional(),
  /** When the alarm changed state, as ISO 8601 in UTC. */
  StateChangeTime: cloudWatchTime,
  AlarmArn: z.string().optional(),
  /** What the alarm watches; a metric-math alarm has `Metrics` instead of a metric name. */
  Trigger: z.object({
    MetricName: z.string().min(1).optional(),
    Namespace: z.string().min(1).optional(),
    Threshold: z.number().optional(),
  }),
});
export type CloudWatchAlarmNotification = z.infer<typeof CloudWatchAlarmNotification>;

/** The topic delivered something that is not a CloudWatch alarm notification (SNS's own test message, say). */
export class InvalidAlarmNotificationError extends Error {
  override readonly name = 'InvalidAlarmNotificationError';
}

/** Parses the `Sns.Message` text of one alarm notification. */
export const parseCloudWatchAlarmNotification = (text: string): CloudWatchAlarmNotification => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidAlarmNotificationError('the alarm notification is not JSON', { cause: error });
  }
  const parsed = CloudWatchAlarmNotification.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`,
    );
    throw new InvalidAlarmNotificationError(`not a CloudWatch alarm notification: ${problems.join('; ')}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
};

/** The most a pause's cause holds (lib/domain/sending-state.ts). */
const maxCauseLength = 1000;

/** Why sending paused, for the person who resumes it: the alarm and CloudWatch's own reason. */
export const alarmPauseCause = (notification: CloudWatchAlarmNotification): string => {
  const cause = `${notification.AlarmName}: ${notification.NewStateReason.trim() || 'no reason given'}`;
  return cause.length <= maxCauseLength ? cause : `${cause.slice(0, maxCauseLength - 1)}…`;
};
