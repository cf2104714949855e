import { describe, expect, it } from 'vitest';
import {
  renderSms,
  SmsLimitExceededError,
  SmsRenderError,
  type SmsRenderInput,
  type SmsTemplate,
  SmsTooLongError,
  smsOptOutLine,
} from '../../../lib/templates/render-sms.js';

const input: SmsRenderInput = {
  contact: { name: 'Ada & Co', city: 'Zürich' },
  sender: { name: 'Bookshop' },
  data: { title: 'Kafka on the Shore' },
};

const template = (overrides: Partial<SmsTemplate> = {}): SmsTemplate => ({
  id: 'replacement-reminder',
  kind: 'transactional',
  body: '{{ sender.name }}: {{ contact.name }}, your copy of {{ data.title }} is ready.\n',
  ...overrides,
});

describe('rendering an SMS', () => {
  it('fills in the contact, sender and data without HTML escaping, trimmed', async () => {
    const sms = await renderSms(template(), input);

    expect(sms.body).toBe('Bookshop: Ada & Co, your copy of Kafka on the Shore is ready.');
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('passes extra contact attributes through to the template', async () => {
    const sms = await renderSms(template({ body: 'Hello from {{ contact.city }}' }), input);

    expect(sms.body).toBe('Hello from Zürich');
  });

  describe('when the message is marketing', () => {
    it('adds the opt-out line on its own line', async () => {
      const sms = await renderSms(template({ kind: 'marketing', body: 'New books are in!' }), input);

      expect(sms.body).toBe(`New books are in!\n${smsOptOutLine}`);
    });

    it('adds nothing when the body already says how to STOP', async () => {
      const body = 'New books are in! Text STOP to end these messages.';

      const sms = await renderSms(template({ kind: 'marketing', body }), input);

      expect(sms.body).toBe(body);
    });

    it('does not take a lower-case "stop" for the opt-out instruction', async () => {
      const sms = await renderSms(template({ kind: 'marketing', body: 'Do not stop reading!' }), input);

      expect(sms.body).toBe(`Do not stop reading!\n${smsOptOutLine}`);
    });
  });

  it('adds no opt-out line to a transactional message', async () => {
    const sms = await renderSms(template({ body: 'Your order shipped.' }), input);

    expect(sms.body).toBe('Your order shipped.');
  });

  describe('when the rendered body needs too many segments', () => {
    it('refuses it with the count, by default beyond 3 segments', async () => {
      const body = 'a'.repeat(153 * 3 + 1);

      const render = renderSms(template({ body }), input);

      await expect(render).rejects.toBeInstanceOf(SmsTooLongError);
      await expect(render).rejects.toMatchObject({
        maxSegments: 3,
        count: { encoding: 'GSM-7', segments: 4 },
      });
    });

    it('counts the opt-out line towards the limit', async () => {
      const body = 'a'.repeat(160);

      await expect(renderSms(template({ body }), input, { maxSegments: 1 })).resolves.toMatchObject({
        segments: 1,
      });
      await expect(
        renderSms(template({ kind: 'marketing', body }), input, { maxSegments: 1 }),
      ).rejects.toBeInstanceOf(SmsTooLongError);
    });

    it('accepts a higher limit when configured', async () => {
      const sms = await renderSms(template({ body: 'ł'.repeat(200) }), input, { maxSegments: 4 });

      expect(sms).toMatchObject({ encoding: 'UCS-2', segments: 3 });
    });
  });

  describe('when a template renders more than the cap', () => {
    it('stops a nested loop at the SMS cap, before counting segments', async () => {
      const body = '{% for i in (1..5000) %}{% for j in (1..1000) %}Buy now! {% endfor %}{% endfor %}';

      const render = renderSms(template({ body }), input);

      await expect(render).rejects.toBeInstanceOf(SmsLimitExceededError);
      await expect(render).rejects.toThrow(
        'SMS template "replacement-reminder": body: renders to more than 1,600 characters',
      );
    });

    it('refuses a loop over a range too large to build, naming the limit', async () => {
      const render = renderSms(template({ body: '{% for i in (1..100000000) %}x{% endfor %}' }), input);

      await expect(render).rejects.toBeInstanceOf(SmsLimitExceededError);
      await expect(render).rejects.toThrow('200,000 units of Liquid memory');
    });
  });

  describe('when the template cannot be rendered', () => {
    it('names the template for broken Liquid', async () => {
      const render = renderSms(template({ body: 'Hi {{ contact.name ' }), input);

      await expect(render).rejects.toBeInstanceOf(SmsRenderError);
      await expect(render).rejects.toMatchObject({ templateId: 'replacement-reminder' });
    });

    it('refuses an unknown filter rather than printing the raw value', async () => {
      await expect(renderSms(template({ body: '{{ contact.name | shout }}' }), input)).rejects.toBeInstanceOf(
        SmsRenderError,
      );
    });

    it('refuses to read templates from disk', async () => {
      await expect(
        renderSms(template({ body: "{% include '/etc/passwd' %}" }), input),
      ).rejects.toBeInstanceOf(SmsRenderError);
    });

    it('refuses a body that renders to nothing', async () => {
      await expect(renderSms(template({ body: '{{ data.missing }}  ' }), input)).rejects.toThrow(
        'rendered to nothing',
      );
    });

    it('refuses input without a sender name', async () => {
      const withoutSender = { contact: {}, sender: { name: '' } };

      await expect(renderSms(template(), withoutSender)).rejects.toThrow('sender.name');
    });
  });
});
