import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { topology as defaultTopology, type FunctionSpec, type TopicName } from '../topology.js';
import { Alarms } from './constructs/alarms.js';
import { BusRules } from './constructs/bus-rules.js';
import { ContentSeed } from './constructs/content-seed.js';
import { grantDeadLetterAccess, namesRedrivableFunctions } from './constructs/dead-letter-access.js';
import { InboundSms } from './constructs/inbound-sms.js';
import { OutboundEventBus } from './constructs/outbound-event-bus.js';
import { RapportApi } from './constructs/rapport-api.js';
import { RapportConsole } from './constructs/rapport-console.js';
import { RapportFunction } from './constructs/rapport-function.js';
import { RapportTable } from './constructs/rapport-table.js';
import { ReputationAlarms } from './constructs/reputation-alarms.js';
import { Schedules } from './constructs/schedules.js';
import { SenderDns } from './constructs/sender-dns.js';
import { SesFeedback } from './constructs/ses-feedback.js';
import { StreamConsumers } from './constructs/stream-consumers.js';
import { TokenKeysSecret } from './constructs/token-keys.js';
import { SharedFunctionEnvironment } from './shared-function-environment.js';
import type { StackConfig } from './stack-config.js';

export interface RapportStackProps extends StackProps {
  config: StackConfig;
  /** Defaults to infra/topology.ts; tests pass their own. */
  topology?: readonly FunctionSpec[];
}

/** `seed-content` → `SeedContent`: construct ids per topology entry, stable across synths. */
export const constructIdFor = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Everything Rapport runs on, built from the topology: one function per entry, wired to its trigger. */
export class RapportStack extends Stack {
  /** The marketer console (a nested stack). */
  readonly marketerConsole: RapportConsole;

  constructor(scope: Construct, id: string, props: RapportStackProps) {
    super(scope, id, props);
    const { config } = props;
    const topology = props.topology ?? defaultTopology;

    const { table } = new RapportTable(this, 'Data');
    const tokenKeys = new TokenKeysSecret(this, 'TokenKeys');
    const topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the Rapport SES feedback, inbound SMS, alarm and reputation topics.',
      enableKeyRotation: true,
    });
    const alarms = new Alarms(this, 'Alarms', { topicKey, alarmEmail: config.alarmEmail });
    const feedback = new SesFeedback(this, 'SesFeedback', {
      topicKey,
      sesIdentity: config.sesIdentity,
      senderAddress: config.senderEmail.address,
      mailFromSubdomain: config.mailFromSubdomain,
    });
    new SenderDns(this, 'SenderDns', {
      domainIdentity: feedback.domainIdentity,
      sesIdentity: config.sesIdentity,
      senderAddress: config.senderEmail.address,
      mailFromSubdomain: config.mailFromSubdomain,
      dmarcPolicy: config.dmarcPolicy,
      dmarcReportEmail: config.dmarcReportEmail,
      hostedZone: config.hostedZone,
    });
    const reputation = new ReputationAlarms(this, 'Reputation', {
      topicKey,
      alarmTopic: alarms.enabled ? alarms.topic : undefined,
      thresholds: config.reputation,
    });
    alarms.deadLetters(
      'ReputationDeadLetters',
      reputation.deadLetterQueue,
      'A reputation alarm notification',
    );
    const inboundSms = new InboundSms(this, 'InboundSms', { topicKey });
    const eventBus = new OutboundEventBus(this, 'OutboundEvents', { eventBusName: config.eventBusName });
    const busRules = new BusRules(this, 'BusRules', { bus: eventBus.bus });
    alarms.deadLetters(
      'BusRuleDeadLetters',
      busRules.deadLetterQueue,
      'An event from the bus that could not be ingested',
    );
    alarms.deadLetters('InboundSmsDeadLetters', inboundSms.deadLetterQueue, 'An inbound SMS reply');
    const throttle = { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit };
    const api = new RapportApi(this, 'Api', {
      throttle,
      waf: config.waf,
      routes: topology.flatMap((spec) => (spec.trigger.kind === 'http' ? spec.trigger.routes : [])),
    });
    this.marketerConsole = new RapportConsole(this, 'Console', {
      throttle,
      adminEmails: config.adminEmails,
      loggingReady: api.cloudWatchAccount,
      ...(config.consoleDomain === undefined || config.consoleCertificateArn === undefined
        ? {}
        : { domain: { name: config.consoleDomain, certificateArn: config.consoleCertificateArn } }),
    });
    const marketerConsole = this.marketerConsole;
    const streams = new StreamConsumers(this, 'Streams', { table });
    alarms.deadLetters(
      'StreamDeadLetters',
      streams.deadLetterQueue,
      'A table stream record that kept failing',
    );
    alarms.deadLetters('FeedbackDeadLetters', feedback.deadLetterQueue, 'An SES feedback notification');
    const schedules = new Schedules(this, 'Schedules');
    alarms.deadLetters(
      'ScheduleDeadLetters',
      schedules.deadLetterQueue,
      'A scheduled run EventBridge could not hand to its function',
    );

    // Strict, so a setting every function gets cannot be left out of the list `npm start -- --bundles` takes.
    const environment = SharedFunctionEnvironment.parse({
      PUBLIC_BASE_URL: config.publicBaseUrl ?? api.baseUrl,
      SENDER_EMAIL: config.senderEmail.header,
      POSTAL_ADDRESS: config.postalAddress,
      ALLOWED_ORIGINS: config.allowedOrigins.join(','),
      ...(config.fanOutEventsPerMinute === undefined
        ? {}
        : { FANOUT_EVENTS_PER_MINUTE: String(config.fanOutEventsPerMinute) }),
      ...(config.campaignSendRate === undefined
        ? {}
        : { CAMPAIGN_SEND_RATE: String(config.campaignSendRate) }),
      ...(config.sesMaxSendRate === undefined ? {} : { SES_MAX_SEND_RATE: String(config.sesMaxSendRate) }),
      ...(config.clvHorizonYears === undefined ? {} : { CLV_HORIZON_YEARS: String(config.clvHorizonYears) }),
      ...(config.clvDiscountRate === undefined
        ? {}
        : { CLV_ANNUAL_DISCOUNT_RATE: String(config.clvDiscountRate) }),
      ...(config.valueModelMinRepeatCustomers === undefined
        ? {}
        : { VALUE_MODEL_MIN_REPEAT_CUSTOMERS: String(config.valueModelMinRepeatCustomers) }),
      ...(config.smsMaxSendRate === undefined ? {} : { SMS_MAX_SEND_RATE: String(config.smsMaxSendRate) }),
      ...(config.signupLimitPerIp === undefined ? {} : { SIGNUP_LIMIT_PER_IP: config.signupLimitPerIp }),
      ...(config.signupLimitPerForm === undefined
        ? {}
        : { SIGNUP_LIMIT_PER_FORM: config.signupLimitPerForm }),
      ...(config.refuseDisposableEmail ? { REFUSE_DISPOSABLE_EMAIL: 'true' } : {}),
      ...(config.disposableEmailDomains === undefined
        ? {}
        : { DISPOSABLE_EMAIL_DOMAINS: config.disposableEmailDomains }),
      ...(config.defaultTimeZone === undefined ? {} : { DEFAULT_TIME_ZONE: config.defaultTimeZone }),
      ...(config.defaultCurrency === undefined ? {} : { DEFAULT_CURRENCY: config.defaultCurrency }),
      ...(config.topics === undefined ? {} : { TOPICS: config.topics }),
      ...(config.sunsetAfter === undefined ? {} : { SUNSET_AFTER: config.sunsetAfter }),
      ...(config.engagementCountsOpens === undefined
        ? {}
        : { ENGAGEMENT_COUNTS_OPENS: String(config.engagementCountsOpens) }),
      BOUNCE_RATE_WARNING: String(config.reputation.bounceRate.warning),
      BOUNCE_RATE_CRITICAL: String(config.reputation.bounceRate.critical),
      COMPLAINT_RATE_WARNING: String(config.reputation.complaintRate.warning),
      COMPLAINT_RATE_CRITICAL: String(config.reputation.complaintRate.critical),
      REPUTATION_MIN_SENDS: String(config.reputation.minSends),
      REPUTATION_WINDOW_DAYS: String(config.reputation.windowDays),
    });

    /** Where a topic's subscription and its function's failed invocations end up. */
    const topicDeadLetters: Record<TopicName, sqs.IQueue> = {
      'ses-feedback': feedback.deadLetterQueue,
      'inbound-sms': inboundSms.deadLetterQueue,
      'reputation-alarm': reputation.deadLetterQueue,
    };

    // Their own scope, so a function named like a construct (ses-feedback) cannot collide with it.
    const functions = new Construct(this, 'Functions');
    const built: Array<{ spec: FunctionSpec; fn: lambda.Function }> = [];
    const seeds: ContentSeed[] = [];
    for (const spec of topology) {
      const id = constructIdFor(spec.name);
      const { function: fn } = new RapportFunction(functions, id, {
        spec,
        table,
        environment,
        tokenKeys: tokenKeys.secret,
        email: { identity: feedback.identity, configurationSet: feedback.configurationSet },
        sms: {
          ...(config.smsSenderId === undefined ? {} : { senderId: config.smsSenderId }),
          ...(config.smsOriginationNumber === undefined
            ? {}
            : { originationNumber: config.smsOriginationNumber }),
        },
        eventBus,
        asyncDeadLetterQueue:
          spec.trigger.kind === 'bus-rule'
            ? busRules.deadLetterQueue
            : spec.trigger.kind === 'topic'
              ? topicDeadLetters[spec.trigger.topic]
              : undefined,
      });
      alarms.errors(id, fn, spec.name);
      built.push({ spec, fn });

      const { trigger } = spec;
      switch (trigger.kind) {
        case 'http':
          api.addRoutes({ ...spec, trigger }, fn);
          marketerConsole.addRoutes({ ...spec, trigger }, fn);
          break;
        case 'table-stream':
          streams.addConsumer({ ...spec, trigger }, fn);
          alarms.iteratorAge(id, fn, spec.name);
          alarms.deadLettered(id, spec.name);
          if (spec.name === 'deliver') {
            alarms.sendingPaused(spec.name);
            alarms.smsSpendLimitReached(spec.name);
          }
          break;
        case 'topic':
          // A new TopicName fails the check below until it is wired here.
          switch (trigger.topic) {
            case 'ses-feedback':
              feedback.subscribe(fn);
              break;
            case 'inbound-sms':
              inboundSms.subscribe(fn);
              break;
            case 'reputation-alarm':
              reputation.subscribe(fn);
              break;
            default:
              assertNever(trigger.topic);
          }
          break;
        case 'deployment':
          seeds.push(new ContentSeed(this, `${id}Deployment`, { name: spec.name, handler: fn }));
          break;
        case 'schedule':
          schedules.add(id, { ...spec, trigger }, fn);
          alarms.notRunning(id, fn, spec.name, trigger.everyMinutes);
          if (spec.access.takeInDeadLetters === true) alarms.deadLettered(id, spec.name);
          break;
        case 'bus-rule':
          busRules.add(id, { ...spec, trigger }, fn);
          break;
        default:
          assertNever(trigger);
      }
    }

    /** The one function of the topology that matches, whose events a queue of its kind holds. */
    const onlyFunction = (matches: (spec: FunctionSpec) => boolean): string | undefined => {
      const names = topology.filter(matches).map((spec) => spec.name);
      return names.length === 1 ? names[0] : undefined;
    };
    const ofTopic = (topic: string) => (spec: FunctionSpec) =>
      spec.trigger.kind === 'topic' && spec.trigger.topic === topic;
    const optional = (functionName: string | undefined) =>
      functionName === undefined ? {} : { functionName };
    grantDeadLetterAccess({
      table,
      functions: built,
      queues: [
        { queue: streams.deadLetterQueue },
        { queue: feedback.deadLetterQueue, ...optional(onlyFunction(ofTopic('ses-feedback'))) },
        { queue: inboundSms.deadLetterQueue, ...optional(onlyFunction(ofTopic('inbound-sms'))) },
        {
          queue: reputation.deadLetterQueue,
          ...optional(onlyFunction(ofTopic('reputation-alarm'))),
        },
        {
          queue: busRules.deadLetterQueue,
          ...optional(onlyFunction((spec) => spec.trigger.kind === 'bus-rule')),
        },
      ],
    });

    orderAroundContentSeeds(built, seeds);

    new CfnOutput(this, 'ApiUrl', { value: environment.PUBLIC_BASE_URL });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'ConsoleUrl', {
      value: marketerConsole.hosting.url,
      description: 'The marketer console.',
    });
    new CfnOutput(this, 'ConsoleUserPoolId', { value: marketerConsole.users.userPool.userPoolId });
    new CfnOutput(this, 'ConsoleClientId', { value: marketerConsole.users.client.userPoolClientId });
    new CfnOutput(this, 'ConsoleLoginDomain', {
      value: marketerConsole.users.loginUrl,
      description: 'Cognito managed login, where marketers sign in.',
    });
    new CfnOutput(this, 'ConfigurationSetName', { value: feedback.configurationSet.configurationSetName });
    new CfnOutput(this, 'EventBusArn', {
      value: eventBus.bus.eventBusArn,
      description:
        'The bus journeys emit events to (source rapport.journeys), and other systems put purchase events on; attach your rules to it.',
    });
    new CfnOutput(this, 'InboundSmsTopicArn', {
      value: inboundSms.topic.topicArn,
      description:
        'Set as the two-way SMS destination of the number you text from, so STOP replies reach Rapport.',
    });
  }
}

/**
 * Deliver sends the HTML the seed compiles for each template (lib/app/publish-content.ts).
 * On a deploy, the seed runs once every other function (among them the admin API, which
 * publishes templates) has its new code, and deliver gets its new code only after that:
 * no version stored without its HTML is left for it to meet.
 */
const orderAroundContentSeeds = (
  built: ReadonlyArray<{ spec: FunctionSpec; fn: Construct }>,
  seeds: readonly ContentSeed[],
): void => {
  const sendsEmail = (spec: FunctionSpec) => spec.trigger.kind === 'table-stream' && spec.access.sendEmail;
  for (const seed of seeds) {
    for (const { spec, fn } of built) {
      // A function that names deliver (to redrive it) follows deliver, so it cannot also go before the seed.
      if (spec.trigger.kind === 'deployment' || namesRedrivableFunctions(spec)) continue;
      if (sendsEmail(spec)) fn.node.addDependency(seed.resource);
      else seed.resource.node.addDependency(fn);
    }
  }
};

/** A trigger kind or topic the switch does not handle is a compile error here, not a silently missing function. */
const assertNever = (value: never): never => {
  throw new Error(`unhandled topology trigger: ${JSON.stringify(value)}`);
};
