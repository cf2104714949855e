import { describe, expect, it } from 'vitest';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import { renderEmail } from '../../../lib/templates/render-email.js';
import { topicLabel, topicLabelsOf } from '../../../lib/templates/topic-label.js';

const topicsTemplate: EmailTemplate = {
  id: 'topics',
  kind: 'transactional',
  subject: 'Your topics: {% for topic in contact.topics %}{{ topic | topic_label }};{% endfor %}',
  text: '{% for topic in contact.topics %}- {{ topic | topic_label }}\n{% endfor %}',
  mjml: '<mj-text>{% for topic in contact.topics %}<p>{{ topic | topic_label }}</p>{% endfor %}</mj-text>',
};

const input = {
  contact: { email: 'ann@example.com', topics: ['newsletter', 'product-updates'] },
  links: {},
  postalAddress: 'Rapport Books Ltd, 12 Quay Street, Bristol BS1 4DJ',
  sender: { name: 'Rapport Books' },
};

const topicLabels = topicLabelsOf([{ id: 'newsletter', label: 'The <Quay> letter' }]);

describe('when topics have configured labels', () => {
  it('reads a topic as its label, and one without a label as its id in words', () => {
    expect(topicLabel('newsletter', topicLabels)).toBe('The <Quay> letter');
    expect(topicLabel('product-updates', topicLabels)).toBe('Product updates');
  });

  it('shows the labels in every part of an email, escaped in the HTML', async () => {
    const email = await renderEmail(topicsTemplate, input, { topicLabels });

    expect(email.subject).toBe('Your topics: The <Quay> letter;Product updates;');
    expect(email.text).toContain('- The <Quay> letter\n- Product updates');
    expect(email.html).toContain('The &lt;Quay&gt; letter');
  });

  it('keeps each render to its own labels', async () => {
    const [configured, plain] = await Promise.all([
      renderEmail(topicsTemplate, input, { topicLabels }),
      renderEmail(topicsTemplate, input),
    ]);

    expect(configured.subject).toContain('The <Quay> letter');
    expect(plain.subject).toBe('Your topics: Newsletter;Product updates;');
  });
});
