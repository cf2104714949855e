import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../../lib/content/load-content.js';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import { compileEmail } from '../../../lib/templates/compile-email.js';
import {
  type RenderInput,
  renderCompiledEmail,
  TemplateRenderError,
} from '../../../lib/templates/render-compiled-email.js';
import { topicLabelsOf } from '../../../lib/templates/topic-label.js';
import { renderThenCompile } from '../../support/render-then-compile.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const { templates: shipped } = await loadContent(repoRoot);

/** Readers whose differences reach the HTML: a name or none, topics or none, text to escape, spaces MJML trims. */
const readers: Array<{ who: string; contact: RenderInput['contact']; sender: string }> = [
  {
    who: 'a named reader with topics',
    contact: { email: 'ann@example.com', name: 'Ann', topics: ['newsletter', 'product-updates'] },
    sender: 'Rapport Books',
  },
  {
    who: 'a reader with no name and no topics',
    contact: { email: 'anon@example.com', topics: [] },
    sender: 'Rapport Books',
  },
  {
    who: 'a reader whose name and sender need escaping and trimming',
    contact: {
      email: 'zoe+bo@example.com',
      name: '  Zoë & <Bo> "the" \'reader\'  ',
      topics: ['offers'],
      timeZone: 'Asia/Tokyo',
      locale: 'fr-FR',
    },
    sender: '  Rapport & "Sons"  ',
  },
];

/** What a journey message may carry: a trigger item with everything, or with nothing; picks with links, or none. */
const carried: Array<{ what: string; context: Pick<RenderInput, 'trigger' | 'event' | 'recommendations'> }> =
  [
    {
      what: 'a full trigger item and picks',
      context: {
        trigger: {
          type: 'order_completed',
          at: '2026-01-03T10:00:00.000Z',
          data: { orderId: 'O-1' },
          item: {
            sku: 'FILTER-1',
            name: 'Water filter <XL>',
            category: 'home/kitchen',
            url: 'https://shop.example.com/filter?a=1&b=2',
            replacementDueAt: '2027-01-02',
          },
        },
        event: { type: 'date_reached', at: '2026-12-03T09:00:00.000Z', data: {} },
        recommendations: [
          {
            sku: 'B-1',
            name: 'The Quay & the Sea',
            category: 'books/crime',
            price: 12.5,
            url: 'https://shop.example.com/b-1',
            reason: 'new-in-category',
          },
          { sku: 'B-2', name: 'No Link', category: 'books', price: 8, reason: 'bought-together' },
        ],
      },
    },
    {
      what: 'an empty trigger and no picks',
      context: {
        trigger: { type: 'order_completed', at: '2026-01-03T10:00:00.000Z', data: {} },
        recommendations: [],
      },
    },
  ];

const inputFor = (
  template: EmailTemplate,
  reader: (typeof readers)[number],
  context: Pick<RenderInput, 'trigger' | 'event' | 'recommendations'> = {},
): RenderInput => ({
  ...context,
  contact: reader.contact,
  links:
    template.kind === 'marketing'
      ? {
          unsubscribe: 'https://mail.example.com/v1/unsubscribe?token=u.sig&m=1',
          preferences: 'https://mail.example.com/v1/preferences?token=p.sig',
        }
      : { confirm: 'https://mail.example.com/v1/confirm?token=c.sig&x=<y>' },
  postalAddress: 'Rapport Books Ltd\n12 Quay Street & Co\nBristol BS1 4DJ',
  sender: { name: reader.sender },
});

const options = { topicLabels: topicLabelsOf([{ id: 'newsletter', label: 'Our newsletter & more' }]) };

/** Both ways, the message must be the same to the byte. */
const expectSameMessage = async (template: EmailTemplate, input: RenderInput): Promise<void> => {
  const before = await renderThenCompile(template, input, options);
  const now = await renderCompiledEmail(template, await compileEmail(template), input, options);
  expect(now.html).toBe(before.html);
  expect(now.subject).toBe(before.subject);
  expect(now.text).toBe(before.text);
};

describe('a shipped template compiled when published', () => {
  const cases = shipped.flatMap((template) =>
    readers.flatMap((reader) =>
      carried.map((carry) => ({
        file: `${template.id}.yaml`,
        template,
        reader,
        carry,
        who: reader.who,
        what: carry.what,
      })),
    ),
  );

  it.each(cases)(
    'renders templates/$file for $who, with $what, as compiling after Liquid did',
    async ({ template, reader, carry }) => {
      await expectSameMessage(template, inputFor(template, reader, carry.context));
    },
  );

  it('holds the Liquid, and no MJML, in the HTML stored for it', async () => {
    for (const template of shipped) {
      const compiled = await compileEmail(template);
      expect(compiled.layout + compiled.body).not.toMatch(/<mj-/);
      expect(compiled.layout).toContain('{{ body | raw }}');
      expect(compiled.body).toContain('{{');
    }
  });
});

const template = (mjml: string, overrides: Partial<EmailTemplate> = {}): EmailTemplate => ({
  id: 'made-up',
  kind: 'marketing',
  subject: 'Hello {{ contact.name }}',
  preheader: 'For {{ contact.name | default: "you" }}',
  text: 'Hello',
  mjml,
  ...overrides,
});

describe('Liquid in the places MJML copies', () => {
  const bodies: Record<string, string> = {
    'tags between components, with whitespace control': `{%- if contact.name -%}
  <mj-text>  {{ contact.name }}  </mj-text>
{%- else -%}
  <mj-text>{{- contact.email -}}</mj-text>
{%- endif -%}
{% for topic in contact.topics %}{% if forloop.first %}<mj-divider />{% endif %}<mj-text>{{ topic | topic_label }}{% unless forloop.last %},{% endunless %} </mj-text>{% endfor %}
{% case contact.name %}{% when 'Ann' %}<mj-button href="{{ links.preferences }}&amp;who={{ contact.name | url_encode }}">Go {{ contact.name }}</mj-button>{% else %}<mj-text>other</mj-text>{% endcase %}
{% assign count = contact.topics | size %}
{% comment %}<mj-text>{{ nothing }}</mj-text>{% endcomment %}
<mj-text>{% raw %}{{ literal }}{% endraw %} {{ count }}</mj-text>`,
    'content that begins or ends with Liquid, which MJML trims': `<mj-text>{{ contact.name }}</mj-text>
<mj-text>{% if contact.name %} x {% endif %}</mj-text>
<mj-text>
  {%- for topic in contact.topics -%}
    <b>{{ topic }}</b>
  {%- endfor -%}
</mj-text>
<mj-raw>  {{ contact.name }}  </mj-raw>
<mj-table>{% for topic in contact.topics %}<tr><td>{{ topic }}</td></tr>{% endfor %}</mj-table>`,
    'Liquid in href, src, alt and title': `<mj-image src="https://img.example.com/{{ contact.name | url_encode }}.png" alt="{{ contact.name }}" title="T {{ contact.topics | size }}" href="{{ links.preferences }}" />
<mj-button href="{{ links.unsubscribe }}" title="{% if contact.name %}{{ contact.name }}{% else %}you{% endif %}">Leave</mj-button>`,
  };

  it.each(Object.entries(bodies))('renders %s as compiling after Liquid did', async (_, mjml) => {
    for (const reader of readers) {
      for (const preheader of [undefined, 'For {{ contact.name }}', '{{ contact.nothing }}  ']) {
        const made = template(mjml, preheader === undefined ? { preheader: undefined } : { preheader });
        await expectSameMessage(made, inputFor(made, reader));
      }
    }
  });

  it('renders a transactional template, without the marketing footer, as before', async () => {
    const receipt = template('<mj-text>{{ links.confirm }}</mj-text>', { kind: 'transactional' });
    for (const reader of readers) await expectSameMessage(receipt, inputFor(receipt, reader));
  });
});

describe('any body built from what the compiler takes', () => {
  const text = fc.constantFrom(
    'Hi',
    ' padded ',
    '{{ contact.name }}',
    ' {{ contact.name }} ',
    '{{- contact.email -}}',
    '{% if contact.name %}<b>{{ contact.name }}</b>{% else %}there{% endif %}',
    '{% for topic in contact.topics %}{{ topic }} {% endfor %}',
    '<a href="{{ links.preferences }}">prefs</a>',
  );
  const component: fc.Arbitrary<string> = fc.oneof(
    fc.array(text, { minLength: 1, maxLength: 3 }).map((parts) => `<mj-text>${parts.join('')}</mj-text>`),
    text.map((part) => `<mj-button href="{{ links.unsubscribe }}">${part}</mj-button>`),
    fc.constant('<mj-divider />'),
  );
  const wrapped = (inner: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    fc.oneof(
      inner,
      inner.map((body) => `{% if contact.name %}\n${body}\n{% endif %}`),
      inner.map(
        (body) =>
          `{%- unless contact.topics.size > 0 -%}${body}{%- else -%}<mj-text>t</mj-text>{%- endunless -%}`,
      ),
      inner.map((body) => `{% for topic in contact.topics %}${body}{% endfor %}`),
    );
  const body = fc.array(wrapped(component), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('\n'));

  it('renders every reader as compiling after Liquid did', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom(...readers), async (mjml, reader) => {
        const made = template(mjml);
        await expectSameMessage(made, inputFor(made, reader));
      }),
      { numRuns: 25 },
    );
  });
});

describe('Liquid MJML would have to read', () => {
  const refusal = async (mjml: string): Promise<string> => {
    const error = await compileEmail({ id: 'refused', mjml }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof TemplateRenderError)) throw new Error(`expected a refusal, got ${String(error)}`);
    return error.message;
  };

  it('is refused in an attribute MJML computes with, naming the line and the attribute', async () => {
    expect(await refusal('<mj-text>a</mj-text>\n<mj-text padding="{{ p }}">b</mj-text>')).toBe(
      'template "refused": mjml: mj-text (line 2 of the body): Attribute padding has invalid value: {{ p }} for type Unit, only accepts (px, %) units and 1 to 4 value(s); MJML reads this attribute when the template is compiled, so it cannot hold Liquid (href, src, alt, title can)',
    );
    expect(await refusal('<mj-text>a</mj-text>\n\n<mj-text css-class="{{ p }}">b</mj-text>')).toBe(
      'template "refused": mjml: line 3 of the body: {{ p }} is in the css-class attribute of mj-text; MJML reads css-class when the template is compiled, so only href, src, alt, title can hold Liquid',
    );
  });

  it('is refused in an attribute without quotes, which MJML would cut at a space', async () => {
    expect(await refusal('<mj-button href={{ url }}>x</mj-button>')).toMatch(
      /line 1 of the body.*an attribute holding Liquid needs quotes around its value$/,
    );
  });

  it('is refused where it prints between components', async () => {
    expect(await refusal('<mj-text>a</mj-text>\n{{ contact.name }}')).toBe(
      'template "refused": mjml: line 2 of the body: {{ contact.name }} stands between components, where only if, unless, case, for, assign and comments may; put what it prints inside a component such as mj-text',
    );
    expect(await refusal('<mj-text>a</mj-text>\n{% capture x %}hi{% endcapture %}')).toMatch(
      /line 2 of the body: \{% capture x %\} stands between components/,
    );
  });

  it('is refused when a tag opens between components and closes inside one', async () => {
    expect(await refusal('{% if a %}<mj-text>a{% endif %}</mj-text>')).toMatch(
      /^template "refused": mjml: line 1 of the body: Liquid between components must close there the tags it opens there/,
    );
  });

  it('is refused between the components of a component, below the top level of the body', async () => {
    expect(
      await refusal(
        '<mj-social>{% if a %}<mj-social-element name="facebook" href="https://x.example">f</mj-social-element>{% endif %}</mj-social>',
      ),
    ).toMatch(
      /stands between the components of mj-social; Liquid may choose or repeat components only at the top level/,
    );
  });

  it('is refused in an MJML comment between components, which MJML drops', async () => {
    expect(
      await refusal('<mj-text>a</mj-text>\n<!-- {% if a %} --><mj-text>b</mj-text><!-- {% endif %} -->'),
    ).toMatch(/line 2 of the body: \{% if a %\} is where MJML drops it/);
  });
});
