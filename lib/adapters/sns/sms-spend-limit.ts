import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { GetSMSAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';

/**
 * SNS accepts a publish past the account's monthly SMS spend limit (`MonthlySpendLimit`)
 * and drops the text: the only trace is the delivery status log ("No quota left for
 * account"). So the spend is read before sending: the limit from the account's SMS
 * attributes, what the month has cost so far from CloudWatch (`AWS/SNS`
 * `SMSMonthToDateSpentUSD`).
 */

/**
 * Held back once the month's spend is this close to the limit (a share of it): SNS
 * stops when a text *would* cross the limit, a text's price before it, and the
 * metric it is read from lags by minutes.
 */
export const spendHeadroomShare = 0.05;

/** Whether texts should wait: a limit of zero allows none. */
export const spendLimitReachedAt = (spentUsd: number, limitUsd: number): boolean =>
  limitUsd <= 0 || spentUsd >= limitUsd * (1 - spendHeadroomShare);

const hourSeconds = 3_600;

/**
 * The month so far as one period: CloudWatch takes a whole number of hours for any
 * start (older starts need coarser periods), so the answer is one or two points.
 */
export const monthToDateQuery = (now: Date) => {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const seconds = Math.max(1, Math.ceil((now.getTime() - start.getTime()) / 1000));
  return {
    Namespace: 'AWS/SNS',
    MetricName: 'SMSMonthToDateSpentUSD',
    StartTime: start,
    EndTime: now,
    Period: Math.ceil(seconds / hourSeconds) * hourSeconds,
    Statistics: ['Maximum' as const],
  };
};

export class SmsSpendLimit {
  private readonly cloudWatch: CloudWatchClient;

  constructor(
    private readonly sns: SNSClient,
    options: {
      region: string;
      credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    },
  ) {
    this.cloudWatch = new CloudWatchClient({
      region: options.region,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      maxAttempts: 5,
      retryMode: 'adaptive',
    });
  }

  async reached(now: Date): Promise<boolean> {
    const [{ attributes }, { Datapoints }] = await Promise.all([
      this.sns.send(new GetSMSAttributesCommand({ attributes: ['MonthlySpendLimit'] })),
      this.cloudWatch.send(new GetMetricStatisticsCommand(monthToDateQuery(now))),
    ]);
    const limit = Number(attributes?.MonthlySpendLimit);
    // Unset, the account's limit is AWS's maximum for it, which SNS does not tell: nothing to hold back for.
    if (attributes?.MonthlySpendLimit === undefined || !Number.isFinite(limit)) return false;
    const spent = Math.max(0, ...(Datapoints ?? []).map((point) => point.Maximum ?? 0));
    return spendLimitReachedAt(spent, limit);
  }
}
