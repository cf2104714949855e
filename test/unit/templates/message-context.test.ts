import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../../lib/content/load-content.js';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import type { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { type RenderInput, renderEmail, unknownTemplateNames } from '../../../lib/templates/render-email.js';
import { renderSms } from '../../../lib/templates/render-sms.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let reminder: EmailTemplate;
let journey: JourneyDefinition;
beforeAll(async () => {
  const content = await loadContent(repoRoot);
  const template = content.templates.find((candidate) => candidate.id === 'replacement-reminder');
  const definition = content.journeys.find((candidate) => candidate.id === 'replacement-reminder');
  if (template === undefined || definition === undefined) throw new Error('no shipped replacement reminder');
  reminder = template;
  journey = definition;
});

const copier = {
  type: 'order_completed',
  at: '2023-01-03T10:00:00.000Z',
  data: { orderId: 'O-1' },
  item: {
    sku: 'COPIER-A200',
    name: 'Office copier A200',
    category: 'office/copiers',
    replacementDueAt: '2027-01-02',
    url: 'https://shop.example.com/copier-a200',
  },
  itemIndex: 0,
};

const input = (overrides: Partial<RenderInput> = {}): RenderInput => ({
  contact: { email: 'ann@example.com', name: 'Ann', topics: ['newsletter'], timeZone: 'Europe/Berlin' },
  links: {
    unsubscribe: 'https://mail.example.com/u?token=t',
    preferences: 'https://mail.example.com/p?token=t',
  },
  postalAddress: 'Rapport Books Ltd, 12 Quay Street, Bristol',
  sender: { name: 'Rapport Office' },
  ...overrides,
});

const smsBody = () => {
  const node = journey.nodes.find((candidate) => candidate.type === 'send_sms');
  if (node?.type !== 'send_sms') throw new Error('no SMS node');
  return node.body;
};

describe('when a journey message renders with what started it', () => {
  it('names the product, when it was bought and when it is due, and links to reorder it', async () => {
    const rendered = await renderEmail(reminder, input({ trigger: copier }));
    expect(rendered.subject).toBe('Your Office copier A200 is due for replacement');
    expect(rendered.text).toContain(
      'Your Office copier A200, bought 3 January 2023, is due for replacement on 2 January 2027.',
    );
    expect(rendered.text).toContain('Reorder it here: https://shop.example.com/copier-a200');
    expect(rendered.html).toContain('href="https://shop.example.com/copier-a200"');
  });

  it('says how often the customer reorders when their own history set the cycle, and how often others do when theirs did', async () => {
    const toner = {
      ...copier,
      item: { ...copier.item, name: 'Toner K10', replacementCycleDays: 41.7, replacementSource: 'personal' },
    };
    const own = await renderEmail(reminder, input({ trigger: toner }));
    expect(own.text).toContain(
      'is due for replacement on 2 January 2027. You usually reorder every 6 weeks.',
    );
    expect(own.html).toContain('You usually reorder every 6 weeks.');
    const others = await renderEmail(
      reminder,
      input({ trigger: { ...toner, item: { ...toner.item, replacementSource: 'learned' } } }),
    );
    expect(others.text).toContain('Customers usually reorder it every 6 weeks.');
    // The catalog's cycle needs no explanation.
    expect((await renderEmail(reminder, input({ trigger: copier }))).text).not.toContain('usually');
  });

  it("writes dates in the contact's language and time zone", async () => {
    const late = { ...copier, at: '2023-01-03T23:30:00.000Z' };
    const rendered = await renderEmail(
      reminder,
      input({
        contact: { email: 'a@example.com', topics: [], timeZone: 'Asia/Tokyo', locale: 'de-DE' },
        trigger: late,
      }),
    );
    // 23:30 UTC on the 3rd is the 4th in Tokyo; a date without a time stays that calendar day.
    expect(rendered.text).toContain('bought 4. Januar 2023, is due for replacement on 2. Januar 2027');
  });

  it('falls back to plain words, never "undefined", when the message has no trigger', async () => {
    const rendered = await renderEmail(reminder, input());
    expect(rendered.subject).toBe('Time to think about a replacement');
    expect(rendered.text).toContain('Something you bought from Rapport Office is due for replacement');
    expect(`${rendered.subject}${rendered.text}${rendered.html}`).not.toMatch(/undefined|Invalid DateTime/);
  });

  it('gives the SMS reminder the same: the product, its due date and the page to reorder', async () => {
    const sms = await renderSms(
      { id: 'second-reminder', kind: 'marketing', body: smsBody() },
      {
        contact: { name: 'Ann', timeZone: 'Europe/Berlin' },
        sender: { name: 'Rapport Office' },
        trigger: copier,
      },
    );
    expect(sms.body).toBe(
      'Rapport Office: your Office copier A200 is due for replacement on 2 January 2027. Reorder: https://shop.example.com/copier-a200 Reply STOP to opt out.',
    );
    const bare = await renderSms(
      { id: 'second-reminder', kind: 'marketing', body: smsBody() },
      { contact: {}, sender: { name: 'Rapport Office' } },
    );
    expect(bare.body).not.toMatch(/undefined/);
  });

  it('renders a date that is not one as the fallback given, else as nothing', async () => {
    const template: EmailTemplate = {
      id: 'dates',
      kind: 'marketing',
      subject: '[{{ trigger.item.missing | local_date }}][{{ trigger.item.name | local_date: "soon" }}]',
      text: 'x',
      mjml: '<mj-text>x</mj-text>',
    };
    expect((await renderEmail(template, input({ trigger: copier }))).subject).toBe('[][soon]');
  });
});

describe('when a template reads a name no message has', () => {
  it('names it, per field, so the draft is saved with a warning', () => {
    const template: EmailTemplate = {
      id: 'typo',
      kind: 'marketing',
      subject: 'Your {{ product.name }}',
      text: '{{ trigger.item.name }} {{ contact.name }} {% assign x = 1 %}{{ x }}',
      mjml: '<mj-text>{{ item.url }}</mj-text>',
    };
    expect(unknownTemplateNames(template)).toEqual([
      { field: 'subject', name: 'product' },
      { field: 'mjml', name: 'item' },
    ]);
  });

  it('finds nothing to warn about in the shipped templates', async () => {
    const { templates } = await loadContent(repoRoot);
    expect(templates.flatMap((template) => unknownTemplateNames(template))).toEqual([]);
  });
});
