import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../lib/adapters/dynamodb/keys.js';
import type { CompiledEmail } from '../../lib/domain/compiled-email.js';
import type { EmailTemplate } from '../../lib/domain/email-template.js';
import { ConcurrentUpdateError, NotFoundError } from '../../lib/domain/errors.js';
import type { ContractStores, MakeStores } from './stores.js';

const welcome: EmailTemplate = {
  id: 'welcome',
  kind: 'marketing',
  subject: 'Welcome, {{ contact.name }}',
  text: 'Hello {{ contact.name }}',
  mjml: '<mj-text>Hello {{ contact.name }}</mj-text>',
};

/** The store keeps what it is given; what compiling makes is compile-email's concern. */
const compiled = (body: string): CompiledEmail => ({
  layout: '<html><title>{{ subject }}</title>{{ body | raw }}</html>',
  body: `<div>${body}</div>`,
});
const welcomeHtml = compiled('Hello {{ contact.name }}');
const rewordedHtml = compiled('Glad you are here, {{ contact.name }}');

const at = new Date('2026-11-01T09:00:00.000Z');
const later = new Date('2026-11-02T09:00:00.000Z');

/** TemplateStore: immutable versions, the latest served, drafts with revisions, a pointer per template. */
export const templateStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('knows no template before one is published', async () => {
      expect(await stores.templates.get('welcome')).toBeUndefined();
      expect(await stores.templates.latest('welcome')).toBeUndefined();
      expect(await stores.templates.forSending('welcome')).toBeUndefined();
      expect(await stores.templates.versions('welcome')).toEqual([]);
      expect(await stores.templates.list()).toEqual([]);
    });

    describe('when templates are published', () => {
      it('numbers versions and serves the latest', async () => {
        expect(await stores.templates.publish(welcome, welcomeHtml, at)).toEqual({ version: 1 });
        const reworded = { ...welcome, subject: 'Glad you are here, {{ contact.name }}', preheader: 'Hi' };

        expect(await stores.templates.publish(reworded, rewordedHtml, later)).toEqual({ version: 2 });

        expect(await stores.templates.get('welcome')).toEqual(reworded);
        expect(await stores.templates.latest('welcome')).toEqual({
          template: reworded,
          version: 2,
          publishedAt: later.toISOString(),
        });
        expect(await stores.templates.versions('welcome')).toEqual([
          { version: 1, publishedAt: at.toISOString() },
          { version: 2, publishedAt: later.toISOString() },
        ]);
        expect(await stores.templates.list()).toEqual([
          {
            templateId: 'welcome',
            kind: 'marketing',
            subject: reworded.subject,
            latestVersion: 2,
            hasDraft: false,
          },
        ]);
      });

      it('serves each published version by its number, and none that was never published', async () => {
        const reworded = { ...welcome, subject: 'Glad you are here, {{ contact.name }}' };
        await stores.templates.publish(welcome, welcomeHtml, at);
        await stores.templates.publish(reworded, rewordedHtml, later);

        expect(await stores.templates.version('welcome', 1)).toEqual({
          template: welcome,
          version: 1,
          publishedAt: at.toISOString(),
        });
        expect((await stores.templates.version('welcome', 2))?.template).toEqual(reworded);
        expect(await stores.templates.version('welcome', 3)).toBeUndefined();
        expect(await stores.templates.version('other', 1)).toBeUndefined();
      });

      it('treats publishing an identical template as a no-op', async () => {
        await stores.templates.publish(welcome, welcomeHtml, at);

        expect(
          await stores.templates.publish({ ...welcome, preheader: undefined }, welcomeHtml, later),
        ).toEqual({ version: 1 });
        expect(await stores.templates.get('welcome')).toEqual(welcome);
      });

      it('keeps each template to its own versions', async () => {
        await stores.templates.publish(welcome, welcomeHtml, at);
        await stores.templates.publish({ ...welcome, subject: 'Second' }, welcomeHtml, at);

        expect(await stores.templates.publish({ ...welcome, id: 'goodbye' }, welcomeHtml, at)).toEqual({
          version: 1,
        });
      });
    });

    describe('the compiled HTML', () => {
      it('serves the latest version with the HTML it was published with, for sending', async () => {
        await stores.templates.publish(welcome, welcomeHtml, at);
        const reworded = { ...welcome, subject: 'Glad you are here' };
        await stores.templates.publish(reworded, rewordedHtml, later);

        expect(await stores.templates.forSending('welcome')).toEqual({
          ...reworded,
          version: 2,
          compiled: rewordedHtml,
        });
      });

      it('keeps the HTML out of the versions the admin API shows', async () => {
        await stores.templates.publish(welcome, welcomeHtml, at);

        expect(await stores.templates.latest('welcome')).toEqual({
          template: welcome,
          version: 1,
          publishedAt: at.toISOString(),
        });
        expect(await stores.templates.version('welcome', 1)).toEqual({
          template: welcome,
          version: 1,
          publishedAt: at.toISOString(),
        });
      });

      it('stores the HTML the same content compiles to now when it is published again, without a new version', async () => {
        await stores.templates.publish(welcome, welcomeHtml, at);
        const newLayout = { ...welcomeHtml, layout: '<html lang="en">{{ body | raw }}</html>' };

        expect(await stores.templates.publish(welcome, newLayout, later)).toEqual({ version: 1 });

        expect((await stores.templates.forSending('welcome'))?.compiled).toEqual(newLayout);
        expect(await stores.templates.versions('welcome')).toEqual([
          { version: 1, publishedAt: at.toISOString() },
        ]);
      });

      it('serves a version stored before templates were compiled without HTML, until it is compiled', async () => {
        await stores.table.put({
          ...keys.templateVersion('welcome', 1),
          type: 'template-version',
          template: welcome,
          version: 1,
          publishedAt: at.toISOString(),
        });

        expect(await stores.templates.forSending('welcome')).toEqual({ ...welcome, version: 1 });

        await stores.templates.putCompiled('welcome', 1, welcomeHtml);

        expect(await stores.templates.forSending('welcome')).toEqual({
          ...welcome,
          version: 1,
          compiled: welcomeHtml,
        });
        expect((await stores.templates.latest('welcome'))?.template).toEqual(welcome);
      });

      it('compiles again only a version that exists', async () => {
        await stores.templates.publish(welcome, welcomeHtml, at);

        await expect(stores.templates.putCompiled('welcome', 2, rewordedHtml)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await expect(stores.templates.putCompiled('other', 1, rewordedHtml)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        expect(await stores.templates.versions('welcome')).toHaveLength(1);
        expect(await stores.templates.versions('other')).toEqual([]);
      });
    });

    describe('drafts', () => {
      it('lists a template that has only a draft, at version 0', async () => {
        const draft = await stores.templates.putDraft(welcome, at);

        expect(draft).toEqual({ template: welcome, revision: 1, updatedAt: at.toISOString() });
        expect(await stores.templates.getDraft('welcome')).toEqual(draft);
        expect(await stores.templates.list()).toEqual([
          {
            templateId: 'welcome',
            kind: 'marketing',
            subject: welcome.subject,
            latestVersion: 0,
            hasDraft: true,
          },
        ]);
        expect(await stores.templates.get('welcome')).toBeUndefined();
      });

      it('publishes the draft it validated and spends it, but not one saved again since', async () => {
        const { revision } = await stores.templates.putDraft(welcome, at);
        await stores.templates.putDraft({ ...welcome, subject: 'Newer' }, later);

        await expect(
          stores.templates.publishDraft(welcome, welcomeHtml, revision, later),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.templates.get('welcome')).toBeUndefined();

        const newer = { ...welcome, subject: 'Newer' };
        expect(await stores.templates.publishDraft(newer, welcomeHtml, 2, later)).toEqual({ version: 1 });
        expect((await stores.templates.forSending('welcome'))?.compiled).toEqual(welcomeHtml);
        expect(await stores.templates.getDraft('welcome')).toBeUndefined();
        expect(await stores.templates.list()).toEqual([
          { templateId: 'welcome', kind: 'marketing', subject: 'Newer', latestVersion: 1, hasDraft: false },
        ]);
      });

      it('spends a draft identical to the latest version without making a new one', async () => {
        await stores.templates.publish(welcome, welcomeHtml, at);
        const { revision } = await stores.templates.putDraft(welcome, later);

        expect(await stores.templates.publishDraft(welcome, welcomeHtml, revision, later)).toEqual({
          version: 1,
        });
        expect(await stores.templates.getDraft('welcome')).toBeUndefined();
        expect((await stores.templates.list())[0]).toMatchObject({ latestVersion: 1, hasDraft: false });
      });

      it('keeps the published subject in the list while a changed draft waits', async () => {
        await stores.templates.publish(welcome, welcomeHtml, at);
        await stores.templates.putDraft({ ...welcome, subject: 'Draft subject' }, later);

        expect(await stores.templates.list()).toEqual([
          {
            templateId: 'welcome',
            kind: 'marketing',
            subject: welcome.subject,
            latestVersion: 1,
            hasDraft: true,
          },
        ]);
      });
    });
  });
