import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../../lib/content/load-content.js';
import { renderEmail } from '../../../lib/templates/render-email.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const journeys = ['welcome-series', 'replacement-reminder', 'new-book-recommendations', 'win-back'];

describe('the example journeys’ templates', async () => {
  const content = await loadContent(repoRoot);
  const used = content.journeys
    .filter((journey) => journeys.includes(journey.id))
    .flatMap((journey) =>
      journey.nodes.flatMap((node) => (node.type === 'send_email' ? [node.template] : [])),
    );

  it('are all shipped with the journeys', () => {
    expect(content.journeys.map((journey) => journey.id)).toEqual(expect.arrayContaining(journeys));
    expect(used).toHaveLength(7);
  });

  it.each(used)('renders %s as marketing mail with the footer', async (id) => {
    const template = content.templates.find((candidate) => candidate.id === id);
    if (template === undefined) throw new Error(`templates/${id}.yaml is missing`);
    const rendered = await renderEmail(template, {
      contact: { email: 'ann@example.com', name: 'Ann', topics: ['newsletter', 'recommendations'] },
      links: {
        unsubscribe: 'https://mail.example.com/v1/unsubscribe?token=u',
        preferences: 'https://mail.example.com/v1/preferences?token=p',
      },
      postalAddress: 'Rapport Books Ltd, 12 Quay Street, Bristol BS1 4DJ',
      sender: { name: 'Rapport Books' },
    });
    expect(template.kind).toBe('marketing');
    expect(rendered.subject).not.toContain('{{');
    expect(rendered.text).toContain('Ann');
    expect(rendered.html).toContain('/v1/unsubscribe?token=u');
    expect(rendered.text).toContain('12 Quay Street');
  });
});
