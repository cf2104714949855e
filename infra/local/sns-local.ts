import { randomUUID } from 'node:crypto';
import { AwsFault, startAwsStandIn } from './aws-stand-in.js';

/** One SMS the local endpoint accepted: what SNS would have handed to the carrier. */
export interface RecordedSms {
  messageId: string;
  phoneNumber: string;
  message: string;
  /** Message attributes by name, e.g. `AWS.SNS.SMS.SMSType` → `Transactional`. */
  attributes: Record<string, string>;
  /** SNS accepts a publish to an opted-out number and then drops it; so does this endpoint, visibly. */
  droppedBecauseOptedOut: boolean;
  /** ISO 8601 time it was accepted. */
  at: string;
}

export interface SnsLocal {
  endpoint: string;
  messages(): RecordedSms[];
  /** Puts a number on the account's opt-out list, as a carrier-level STOP would. */
  optOut(phoneNumber: string): void;
  stop(): Promise<void>;
}

const xmlNamespace = 'http://sns.amazonaws.com/doc/2010-03-31/';
const e164 = /^\+[1-9]\d{1,14}$/;
const smsTypes = new Set(['Transactional', 'Promotional']);
/** SNS's rule for alphanumeric sender IDs: 1–11 characters, letters and digits, at least one letter. */
const senderIdPattern = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);

const invalidParameter = (message: string): AwsFault =>
  new AwsFault(400, 'InvalidParameter', `Invalid parameter: ${message}`);

const resultXml = (action: string, result: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlNamespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;

/** The code is what SNS's awsQuery errors carry, which the SDK maps to its named exception. */
const errorXml = (fault: AwsFault): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlNamespace}"><Error><Type>Sender</Type><Code>${escapeXml(fault.code)}</Code><Message>${escapeXml(fault.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;

/** `MessageAttributes.entry.N.Name` / `.Value.StringValue` pairs, as the Query protocol flattens a map. */
const messageAttributes = (form: URLSearchParams): Record<string, string> => {
  const attributes: Record<string, string> = {};
  for (let index = 1; form.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
    const name = form.get(`MessageAttributes.entry.${index}.Name`) ?? '';
    const value = form.get(`MessageAttributes.entry.${index}.Value.StringValue`);
    if (value === null) throw invalidParameter(`MessageAttributes entry ${name} has no StringValue`);
    attributes[name] = value;
  }
  return attributes;
};

const requirePhoneNumber = (value: string | null, parameter: string): string => {
  if (value === null || value === '') throw invalidParameter(`${parameter} is required`);
  if (!e164.test(value)) throw invalidParameter(`${parameter} Reason: ${value} is not valid to publish to`);
  return value;
};

const describe = (sms: RecordedSms): string => {
  const type = sms.attributes['AWS.SNS.SMS.SMSType'] ?? 'default type';
  const from =
    sms.attributes['AWS.MM.SMS.OriginationNumber'] ??
    sms.attributes['AWS.SNS.SMS.SenderID'] ??
    'default sender';
  const dropped = sms.droppedBecauseOptedOut ? ' — dropped: the number opted out' : '';
  return `[sms] ${from} → ${sms.phoneNumber} (${type})${dropped}\n${sms.message}`;
};

/**
 * A stand-in for the part of SNS that sends SMS, speaking the Query protocol the v3
 * SDK uses, so the real SnsTexter runs unchanged against it. It records what would
 * have been texted (listed as JSON at `GET /sms`), answers opt-out checks from its
 * own list, and sends nothing anywhere.
 */
export const startSnsLocal = async (options: {
  port: number;
  host?: string;
  quiet?: boolean;
}): Promise<SnsLocal> => {
  const recorded: RecordedSms[] = [];
  const optedOut = new Set<string>();
  const print = options.quiet === true ? () => undefined : (line: string) => console.log(line);

  const act = (form: URLSearchParams): { action: string; result: string } => {
    const action = form.get('Action') ?? '';
    switch (action) {
      case 'Publish': {
        if (form.has('TopicArn') || form.has('TargetArn')) {
          throw invalidParameter('the local SNS endpoint publishes to phone numbers only');
        }
        const phoneNumber = requirePhoneNumber(form.get('PhoneNumber'), 'PhoneNumber');
        const message = form.get('Message');
        if (message === null || message === '') throw invalidParameter('Message is empty');
        const attributes = messageAttributes(form);
        const smsType = attributes['AWS.SNS.SMS.SMSType'];
        if (smsType !== undefined && !smsTypes.has(smsType)) {
          throw invalidParameter(`MessageAttributes Reason: ${smsType} is not a valid SMSType`);
        }
        const senderId = attributes['AWS.SNS.SMS.SenderID'];
        if (senderId !== undefined && !senderIdPattern.test(senderId)) {
          throw invalidParameter(`MessageAttributes Reason: ${senderId} is not a valid SenderID`);
        }
        const sms: RecordedSms = {
          messageId: randomUUID(),
          phoneNumber,
          message,
          attributes,
          droppedBecauseOptedOut: optedOut.has(phoneNumber),
          at: new Date().toISOString(),
        };
        recorded.push(sms);
        print(describe(sms));
        return { action, result: `<MessageId>${sms.messageId}</MessageId>` };
      }
      case 'CheckIfPhoneNumberIsOptedOut': {
        const phoneNumber = requirePhoneNumber(form.get('phoneNumber'), 'phoneNumber');
        return { action, result: `<isOptedOut>${optedOut.has(phoneNumber)}</isOptedOut>` };
      }
      case 'OptInPhoneNumber': {
        optedOut.delete(requirePhoneNumber(form.get('phoneNumber'), 'phoneNumber'));
        return { action, result: '' };
      }
      default:
        throw new AwsFault(
          400,
          'InvalidAction',
          `The action ${action || '(none)'} is not valid for this endpoint.`,
        );
    }
  };

  const standIn = await startAwsStandIn({
    port: options.port,
    host: options.host,
    listPath: '/sms',
    listed: () => recorded,
    usage: 'POST SNS Query API actions to /, or GET /sms\n',
    answer: (body) => {
      const { action, result } = act(new URLSearchParams(body));
      return { status: 200, contentType: 'text/xml', body: resultXml(action, result) };
    },
    refuse: (fault) => ({ status: fault.status, contentType: 'text/xml', body: errorXml(fault) }),
    internalErrorCode: 'InternalError',
  });

  return {
    endpoint: standIn.endpoint,
    messages: () => recorded.map((sms) => ({ ...sms, attributes: { ...sms.attributes } })),
    optOut: (phoneNumber) => {
      optedOut.add(phoneNumber);
    },
    stop: () => standIn.stop(),
  };
};
