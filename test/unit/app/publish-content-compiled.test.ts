import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { publishContent } from '../../../lib/app/publish-content.js';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import { compileEmail } from '../../../lib/templates/compile-email.js';
import { aWorld } from './support/worlds.js';

const shippedTemplate: EmailTemplate = {
  id: 'shipped',
  kind: 'marketing',
  subject: 'News',
  text: 'News',
  mjml: '<mj-text>News for {{ contact.name }}</mj-text>',
};

const marketersTemplate: EmailTemplate = {
  id: 'marketers',
  kind: 'marketing',
  subject: 'Offer',
  text: 'Offer',
  mjml: '<mj-text>Offer for {{ contact.name }}</mj-text>',
};

let world: MemoryWorld;
beforeEach(() => {
  world = aWorld('2026-11-23T12:00:00.000Z');
});

/** What a deployment does: the repository's content, and the compiled HTML of every template brought up to date. */
const deploy = (templates: EmailTemplate[] = [shippedTemplate]) =>
  publishContent(
    {
      journeys: world.journeys,
      templates: world.templates,
      policies: world.deliveryPolicies,
      clock: world.clock,
      jobs: world.jobs,
      ids: world.ids,
    },
    { journeys: [], templates, segments: [] },
  );

/** A version as stored before templates were compiled when published: no `compiled`, its pointer beside it. */
const storeWithoutHtml = (template: EmailTemplate): void => {
  const at = world.clock.now().toISOString();
  world.table.write({
    put: {
      ...keys.templateVersion(template.id, 1),
      type: 'template-version',
      template,
      version: 1,
      publishedAt: at,
    },
  });
  world.table.write({
    put: {
      ...keys.templatePointer(template.id),
      type: 'template-pointer',
      templateId: template.id,
      kind: template.kind,
      subject: template.subject,
      latestVersion: 1,
      hasDraft: false,
    },
  });
};

describe('deploying content when templates are compiled as they are published', () => {
  it('publishes each of the repository’s templates with the HTML it compiles to', async () => {
    await deploy();

    expect((await world.templates.forSending('shipped'))?.compiled).toEqual(
      await compileEmail(shippedTemplate),
    );
  });

  it('compiles the latest version of a template stored before templates were compiled, so it can be sent', async () => {
    storeWithoutHtml(marketersTemplate);

    const deployed = await deploy();

    expect(deployed.recompiled).toEqual([{ id: 'marketers', version: 1 }]);
    expect(await world.templates.forSending('marketers')).toEqual({
      ...marketersTemplate,
      version: 1,
      compiled: await compileEmail(marketersTemplate),
    });
    expect(await world.templates.versions('marketers')).toHaveLength(1);
  });

  it('compiles again a template whose stored HTML is not what it compiles to now (a new layout)', async () => {
    const current = await compileEmail(marketersTemplate);
    await world.templates.publish(
      marketersTemplate,
      { ...current, layout: '<html>an older layout {{ body | raw }}</html>' },
      world.clock.now(),
    );

    expect((await deploy()).recompiled).toEqual([{ id: 'marketers', version: 1 }]);
    expect((await world.templates.forSending('marketers'))?.compiled).toEqual(current);
  });

  it('gives a repository template that did not change the HTML it compiles to now, without a new version', async () => {
    const current = await compileEmail(shippedTemplate);
    await world.templates.publish(shippedTemplate, { ...current, body: 'stale' }, world.clock.now());

    expect((await deploy()).templates).toEqual([{ id: 'shipped', version: 1 }]);
    expect((await world.templates.forSending('shipped'))?.compiled).toEqual(current);
  });

  it('leaves HTML that is up to date as it is', async () => {
    await world.templates.publish(
      marketersTemplate,
      await compileEmail(marketersTemplate),
      world.clock.now(),
    );

    expect((await deploy()).recompiled).toEqual([]);
  });

  it('reports a latest version that no longer compiles, and deploys the rest', async () => {
    storeWithoutHtml({
      ...marketersTemplate,
      mjml: '<mj-text css-class="{{ contact.tier }}">Offer</mj-text>',
    });

    const deployed = await deploy();

    expect(deployed.uncompiled).toEqual([
      {
        id: 'marketers',
        version: 1,
        problem: expect.stringMatching(
          /^template "marketers": mjml: line 1 of the body: .*css-class attribute/,
        ),
      },
    ]);
    expect((await world.templates.forSending('marketers'))?.compiled).toBeUndefined();
    expect((await world.templates.forSending('shipped'))?.compiled).toBeDefined();
  });
});
