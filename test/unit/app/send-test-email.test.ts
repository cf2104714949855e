import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { previewTemplate } from '../../../lib/app/manage-templates.js';
import { type SendTestEmailDeps, sendTestEmail } from '../../../lib/app/send-test-email.js';
import { MailerRejectedError, NotFoundError } from '../../../lib/domain/errors.js';
import { aSignup } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { fieldsOf, welcomeMail } from './support/admin.js';
import { aSubscribedContact, aWorld, deploymentFor } from './support/worlds.js';

let world: MemoryWorld;
let deps: SendTestEmailDeps;

beforeEach(async () => {
  world = aWorld('2026-11-01T09:00:00.000Z');
  deps = deploymentFor(world).templates;
  await publishCompiled(world.templates, welcomeMail, world.clock.now());
});

const draftSubject = 'Draft: welcome, {{ contact.name | default: "reader" }}';

const saveDraft = async () => {
  await world.templates.putDraft({ ...welcomeMail, subject: draftSubject }, world.clock.now());
};

describe('sending a test of a template', () => {
  it('mails what the preview shows to the address given, its subject marked as a test', async () => {
    await saveDraft();
    const preview = await previewTemplate(deps, 'welcome-mail', {});

    const receipt = await sendTestEmail(deps, 'welcome-mail', { to: 'marketer@example.com' });

    expect(receipt).toMatchObject({
      templateId: 'welcome-mail',
      to: 'marketer@example.com',
      source: 'draft',
      subject: '[Test] Draft: welcome, Sam Sample',
    });
    const [sent, ...others] = world.mailer.sent();
    expect(others).toEqual([]);
    expect(sent?.providerMessageId).toBe(receipt.providerMessageId);
    expect(sent?.email).toMatchObject({
      to: 'marketer@example.com',
      from: 'Rapport <hello@rapport.test>',
      subject: `[Test] ${preview.subject}`,
      html: preview.html,
      text: preview.text,
    });
  });

  it('carries no tag that ties it to a contact, journey or campaign, and no one-click unsubscribe', async () => {
    await sendTestEmail(deps, 'welcome-mail', { to: 'marketer@example.com' });

    expect(world.mailer.sent()[0]?.email).toMatchObject({ tags: {}, headers: [] });
  });

  it('renders for the contact chosen, and records nothing for them or anyone', async () => {
    const ada = aSubscribedContact({ name: 'Ada' });
    await world.contacts.create(aSignup(ada));
    const before = world.table.scan();

    const receipt = await sendTestEmail(deps, 'welcome-mail', {
      to: 'marketer@example.com',
      contactId: ada.id,
    });

    expect(receipt.subject).toBe('[Test] Welcome, Ada');
    expect(world.mailer.sentTo(ada.email)).toEqual([]);
    expect(world.table.scan()).toEqual(before);
  });

  it('sends the version asked for, or the draft, whatever the other holds', async () => {
    await saveDraft();

    const published = await sendTestEmail(deps, 'welcome-mail', { to: 'marketer@example.com', version: 1 });
    const draft = await sendTestEmail(deps, 'welcome-mail', { to: 'marketer@example.com', version: 'draft' });

    expect(published).toMatchObject({ source: 'version', version: 1, subject: '[Test] Welcome, Sam Sample' });
    expect(draft).toMatchObject({ source: 'draft', subject: '[Test] Draft: welcome, Sam Sample' });
  });

  it('sends the latest version when there is no draft', async () => {
    expect(await sendTestEmail(deps, 'welcome-mail', { to: 'marketer@example.com' })).toMatchObject({
      source: 'version',
      version: 1,
    });
  });
});

describe('a test that is not sent', () => {
  it('refuses an address that is not one, naming `to`', async () => {
    expect(await fieldsOf(sendTestEmail(deps, 'welcome-mail', { to: 'not an address' }))).toEqual({
      to: 'must be an email address',
    });
    expect(Object.keys(await fieldsOf(sendTestEmail(deps, 'welcome-mail', {})))).toEqual(['to']);
    expect(world.mailer.sent()).toEqual([]);
  });

  it('refuses a suppressed address, naming `to`', async () => {
    await world.suppressions.suppress({
      channel: 'email',
      address: 'bounced@example.com',
      reason: 'bounce',
      at: world.clock.now().toISOString(),
    });

    const fields = await fieldsOf(sendTestEmail(deps, 'welcome-mail', { to: 'Bounced@Example.com' }));

    expect(fields.to).toMatch(/suppression list/);
    expect(world.mailer.sent()).toEqual([]);
  });

  it('names the contact, version or draft it does not know', async () => {
    const to = 'marketer@example.com';

    expect(
      Object.keys(await fieldsOf(sendTestEmail(deps, 'welcome-mail', { to, contactId: 'nobody' }))),
    ).toEqual(['contactId']);
    expect(await fieldsOf(sendTestEmail(deps, 'welcome-mail', { to, version: 7 }))).toEqual({
      version: 'template "welcome-mail" has no version 7',
    });
    expect(
      Object.keys(await fieldsOf(sendTestEmail(deps, 'welcome-mail', { to, version: 'draft' }))),
    ).toEqual(['version']);
    expect(world.mailer.sent()).toEqual([]);
  });

  it('says the mail service refused the address, naming `to`', async () => {
    world.mailer.failNext(new MailerRejectedError('MessageRejected: Email address is not verified.'));

    const fields = await fieldsOf(sendTestEmail(deps, 'welcome-mail', { to: 'marketer@example.com' }));

    expect(fields.to).toContain('Email address is not verified');
  });

  it('does not know a template that does not exist', async () => {
    await expect(sendTestEmail(deps, 'nobody', { to: 'marketer@example.com' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
