import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../../lib/content/load-content.js';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import type { RenderInput } from '../../../lib/templates/render-email.js';
import {
  renderEmail,
  TemplateLimitExceededError,
  TemplateRenderError,
} from '../../../lib/templates/render-email.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const unsubscribeUrl = 'https://mail.example.com/v1/unsubscribe?token=uns.sig&lang=en';
const preferencesUrl = 'https://mail.example.com/v1/preferences?token=prf.sig';
const confirmUrl = 'https://mail.example.com/v1/confirm?token=cnf.sig';
const postalAddress = 'Rapport Books Ltd, 12 Quay Street, Bristol BS1 4DJ';

const marketingTemplate: EmailTemplate = {
  id: 'news',
  kind: 'marketing',
  subject: 'News from {{ sender.name }} for {{ contact.name }}',
  preheader: 'A preview for {{ contact.name }}',
  text: 'Hello {{ contact.name }}, here is the news.',
  mjml: '<mj-text>Hello {{ contact.name }}, here is the news.</mj-text>',
};

const transactionalTemplate: EmailTemplate = {
  id: 'receipt',
  kind: 'transactional',
  subject: 'Your request',
  text: 'We got your request.',
  mjml: '<mj-text>We got your request.</mj-text>',
};

const input = (overrides: Partial<RenderInput> = {}): RenderInput => ({
  contact: { email: 'ann@example.com', name: 'Ann', topics: ['newsletter'] },
  links: { unsubscribe: unsubscribeUrl, preferences: preferencesUrl },
  postalAddress,
  sender: { name: 'Rapport Books' },
  ...overrides,
});

const renderError = async (promise: Promise<unknown>): Promise<TemplateRenderError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TemplateRenderError))
    throw new Error(`expected a TemplateRenderError, got ${String(error)}`);
  return error;
};

const limitError = async (promise: Promise<unknown>): Promise<TemplateLimitExceededError> => {
  const error = await renderError(promise);
  if (!(error instanceof TemplateLimitExceededError))
    throw new Error(`expected a TemplateLimitExceededError, got ${String(error)}`);
  return error;
};

describe('renderEmail', () => {
  describe('a marketing template', () => {
    it('puts the unsubscribe link, the preferences link and the postal address in the HTML', async () => {
      const { html } = await renderEmail(marketingTemplate, input());
      expect(html).toContain('href="https://mail.example.com/v1/unsubscribe?token=uns.sig&amp;lang=en"');
      expect(html).toContain('>Unsubscribe</a>');
      expect(html).toContain(`href="${preferencesUrl}"`);
      expect(html).toContain('>Manage preferences</a>');
      expect(html).toContain(postalAddress);
    });

    it('puts the unsubscribe link, the preferences link and the postal address in the text', async () => {
      const { text } = await renderEmail(marketingTemplate, input());
      expect(text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
      expect(text).toContain(`Manage preferences: ${preferencesUrl}`);
      expect(text).toContain(postalAddress);
      expect(text.startsWith('Hello Ann, here is the news.')).toBe(true);
    });

    it('shows the preheader as hidden preview text', async () => {
      const { html } = await renderEmail(marketingTemplate, input());
      expect(html).toMatch(/<div style="display:none;[^"]*">A preview for Ann<\/div>/);
    });

    it('refuses to render without an unsubscribe link', async () => {
      const error = await renderError(
        renderEmail(marketingTemplate, input({ links: { preferences: preferencesUrl } })),
      );
      expect(error.templateId).toBe('news');
      expect(error.message).toContain('links.unsubscribe');
    });

    it('refuses to render without a preferences link', async () => {
      const error = await renderError(
        renderEmail(marketingTemplate, input({ links: { unsubscribe: unsubscribeUrl } })),
      );
      expect(error.message).toContain('links.preferences');
    });
  });

  describe('a transactional template', () => {
    it('shows the postal address and why it came, without an unsubscribe link', async () => {
      const rendered = await renderEmail(transactionalTemplate, input({ links: {} }));
      for (const version of [rendered.html, rendered.text]) {
        expect(version).toContain(postalAddress);
        expect(version).toContain('because of a request made with ann@example.com');
        expect(version).not.toMatch(/unsubscribe/i);
      }
    });

    it('fails when the template uses a link the message does not carry', async () => {
      const template = { ...transactionalTemplate, id: 'needs-confirm', text: 'Go to {{ links.confirm }}' };
      const error = await renderError(renderEmail(template, input({ links: {} })));
      expect(error.message).toBe(
        'template "needs-confirm": uses links.confirm, but no confirm link was given',
      );
    });
  });

  describe('escaping', () => {
    const hostile = input({
      contact: { email: 'x@example.com', name: '<script>alert("x")</script>', topics: [] },
    });

    it('escapes Liquid output in the MJML body', async () => {
      const { html } = await renderEmail(marketingTemplate, hostile);
      expect(html).toContain('Hello &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;, here is the news.');
      expect(html).not.toContain('<script>');
    });

    it('does not HTML-escape the subject or the text', async () => {
      const rendered = await renderEmail(marketingTemplate, { ...hostile, sender: { name: 'Ann & Bob' } });
      expect(rendered.subject).toBe('News from Ann & Bob for <script>alert("x")</script>');
      expect(rendered.text).toContain('Hello <script>alert("x")</script>, here is the news.');
    });

    it('keeps a subject on one line', async () => {
      const rendered = await renderEmail({ ...marketingTemplate, subject: 'Line one\nline two\n' }, input());
      expect(rendered.subject).toBe('Line one line two');
    });
  });

  describe('a broken template', () => {
    it('turns a broken Liquid tag into a TemplateRenderError naming the template', async () => {
      const broken = {
        ...marketingTemplate,
        id: 'broken-liquid',
        mjml: '<mj-text>{% if contact.name %}Hi</mj-text>',
      };
      const error = await renderError(renderEmail(broken, input()));
      expect(error.templateId).toBe('broken-liquid');
      expect(error.message).toMatch(/^template "broken-liquid": mjml: /);
    });

    it('turns an unknown Liquid filter into a TemplateRenderError', async () => {
      const broken = { ...marketingTemplate, id: 'bad-filter', subject: '{{ contact.name | shout }}' };
      const error = await renderError(renderEmail(broken, input()));
      expect(error.message).toMatch(/^template "bad-filter": subject: .*shout/);
    });

    it('turns invalid MJML into a TemplateRenderError with the line in the body', async () => {
      const broken = {
        ...marketingTemplate,
        id: 'bad-mjml',
        mjml: '<mj-text>fine</mj-text>\n<mj-texty>oops</mj-texty>',
      };
      const error = await renderError(renderEmail(broken, input()));
      expect(error.message).toMatch(/^template "bad-mjml": mjml: mj-texty \(line 2 of the body\): /);
    });

    it('does not read files through Liquid includes', async () => {
      const sneaky = { ...marketingTemplate, id: 'sneaky', text: "{% include 'package.json' %}" };
      const error = await renderError(renderEmail(sneaky, input()));
      expect(error.templateId).toBe('sneaky');
    });

    it('does not read files through mj-include', async () => {
      const sneaky = {
        ...marketingTemplate,
        id: 'sneaky-mjml',
        mjml: '<mj-include path="./package.json" type="html" />',
      };
      const html = await renderEmail(sneaky, input()).then(
        (rendered) => rendered.html,
        (error: unknown) => {
          if (error instanceof TemplateRenderError) return '';
          throw error;
        },
      );
      expect(html).not.toContain('devDependencies');
    });
  });

  describe('when a template renders more than the cap', () => {
    // Unchecked, this printed 500 MB; the reported preview (48 MB, 2 s) was a smaller one like it.
    const nestedLoop = `{% for i in (1..5000) %}{% for j in (1..1000) %}${'x'.repeat(100)}{% endfor %}{% endfor %}`;

    it('stops a nested loop in the body at the body cap, naming the field and the limit', async () => {
      const runaway = { ...marketingTemplate, id: 'runaway', mjml: `<mj-text>${nestedLoop}</mj-text>` };

      const error = await limitError(renderEmail(runaway, input()));

      expect(error.templateId).toBe('runaway');
      expect(error.field).toBe('mjml');
      expect(error.message).toMatch(/^template "runaway": mjml: renders to more than 256 KiB/);
    });

    it('refuses a loop over a range too large to build, before building it', async () => {
      const runaway = {
        ...marketingTemplate,
        mjml: '<mj-text>{% for i in (1..100000000) %}xxxxxxxxxx{% endfor %}</mj-text>',
      };

      const error = await limitError(renderEmail(runaway, input()));

      expect(error.field).toBe('mjml');
      expect(error.limit).toContain('2,000,000 units of Liquid memory');
    });

    it('caps the text part at its own size', async () => {
      const error = await limitError(renderEmail({ ...marketingTemplate, text: nestedLoop }, input()));

      expect(error.field).toBe('text');
      expect(error.limit).toContain('128 KiB');
    });

    it('caps the subject at its own size', async () => {
      const subject = '{% for i in (1..100) %}A very long subject {% endfor %}';

      const error = await limitError(renderEmail({ ...marketingTemplate, subject }, input()));

      expect(error.field).toBe('subject');
      expect(error.limit).toContain('1 KiB');
    });

    it('caps what a capture builds, so a variable cannot grow out of sight', async () => {
      // In the text, where no HTML escaping charges the doubled string to Liquid's memory limit.
      const doubling = '{% for i in (1..40) %}{% capture x %}{{ x }}{{ x }}ab{% endcapture %}{% endfor %}';
      const runaway = { ...marketingTemplate, text: `${doubling}{{ x | size }}` };

      const error = await limitError(renderEmail(runaway, input()));

      expect(error.field).toBe('text');
      expect(error.limit).toContain('128 KiB');
    });
  });

  describe('when a template renders for longer than the time limit', () => {
    it('stops a loop that prints nothing, naming the field and the limit', async () => {
      // Iterating one array built once: nothing is charged to memory and nothing is printed.
      const busy =
        '{% assign r = (1..1000) %}{% for i in r %}{% for j in r %}{% for k in r %}{% endfor %}{% endfor %}{% endfor %}';

      const error = await limitError(
        renderEmail({ ...marketingTemplate, mjml: `<mj-text>${busy}</mj-text>` }, input()),
      );

      expect(error.field).toBe('mjml');
      expect(error.limit).toContain('300 ms');
    });
  });

  describe('when MJML would expand the body past the cap', () => {
    it('refuses a body with more components than MJML may compile', async () => {
      const crowded = { ...marketingTemplate, mjml: '<mj-divider />'.repeat(201) };

      const error = await limitError(renderEmail(crowded, input()));

      expect(error.field).toBe('mjml');
      expect(error.limit).toBe('uses 201 MJML components, more than the limit of 200');
    });

    it('puts the preheader in the preview as it renders, never compiling MJML slipped into it', async () => {
      const plain = await renderEmail(marketingTemplate, input());
      const sneaky = await renderEmail(
        { ...marketingTemplate, preheader: '</mj-preview><mj-divider />'.repeat(51) },
        input(),
      );

      const tables = (html: string) => html.match(/<table/g)?.length;
      expect(sneaky.html).toContain(`overflow:hidden;">${'</mj-preview><mj-divider />'.repeat(51)}</div>`);
      expect(tables(sneaky.html)).toBe(tables(plain.html));
    });

    it('refuses HTML over the cap compiled from a body well under it', async () => {
      const image = '<mj-carousel-image src="https://img.example.com/cover.png" />';
      const carousel = `<mj-carousel>${image.repeat(150)}</mj-carousel>`;

      const error = await limitError(renderEmail({ ...marketingTemplate, mjml: carousel }, input()));

      expect(carousel.length).toBeLessThan(16 * 1024);
      expect(error.field).toBe('mjml');
      expect(error.limit).toMatch(/^compiles to \d+ KiB of HTML, more than the limit of 256 KiB$/);
    });
  });

  describe('caching', () => {
    it('renders each message with its own contact', async () => {
      const first = await renderEmail(marketingTemplate, input());
      const second = await renderEmail(
        marketingTemplate,
        input({ contact: { email: 'bo@example.com', name: 'Bo', topics: [] } }),
      );
      expect(first.text).toContain('Hello Ann');
      expect(second.text).toContain('Hello Bo');
    });

    it('uses the new content when a template with the same id changes', async () => {
      await renderEmail(marketingTemplate, input());
      const edited = await renderEmail(
        { ...marketingTemplate, text: 'Edited for {{ contact.name }}' },
        input(),
      );
      expect(edited.text.startsWith('Edited for Ann')).toBe(true);
    });
  });

  describe('the shipped templates', () => {
    let templates: EmailTemplate[] = [];
    beforeAll(async () => {
      templates = (await loadContent(repoRoot)).templates;
    });
    const byId = (id: string): EmailTemplate => {
      const template = templates.find((candidate) => candidate.id === id);
      if (template === undefined) throw new Error(`templates/${id}.yaml is missing`);
      return template;
    };

    it('renders the confirmation email with the confirm button and no unsubscribe link', async () => {
      const rendered = await renderEmail(byId('confirm'), input({ links: { confirm: confirmUrl } }));
      expect(byId('confirm').kind).toBe('transactional');
      expect(rendered.subject).toBe('Please confirm your subscription to Rapport Books');
      expect(rendered.html).toMatch(
        new RegExp(`href="${confirmUrl.replace(/[.?]/g, '\\$&')}"[^>]*>\\s*Confirm my subscription`),
      );
      expect(rendered.text).toContain(confirmUrl);
      expect(rendered.text).toContain('ignore this email');
      expect(rendered.html).not.toMatch(/unsubscribe/i);
    });

    it('renders the welcome email with the chosen topics and the compliance footer', async () => {
      const contact = { email: 'ann@example.com', name: 'Ann', topics: ['product-updates', 'newsletter'] };
      const rendered = await renderEmail(byId('welcome'), input({ contact }));
      expect(byId('welcome').kind).toBe('marketing');
      expect(rendered.html).toContain('Welcome aboard, Ann!');
      expect(rendered.html).toContain('<li>Product updates</li>');
      expect(rendered.text).toContain('- Product updates\n- Newsletter');
      expect(rendered.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
      expect(rendered.html).toContain(postalAddress);
    });

    it('greets a contact without a name as "there"', async () => {
      const rendered = await renderEmail(
        byId('welcome'),
        input({ contact: { email: 'x@example.com', topics: [] } }),
      );
      expect(rendered.text.startsWith('Hi there,')).toBe(true);
      expect(rendered.text).not.toContain('You asked to hear about');
    });
  });
});
