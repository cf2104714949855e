import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import {
  getTemplate,
  listTemplates,
  type ManageTemplatesDeps,
  previewTemplate,
  publishTemplate,
  putTemplateDraft,
  templateVersions,
} from '../../../lib/app/manage-templates.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/domain/errors.js';
import { compileEmail } from '../../../lib/templates/compile-email.js';
import { renderEmail } from '../../../lib/templates/render-email.js';
import { aSignup } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { manualClock, welcomeMail } from './support/admin.js';
import { aSubscribedContact, aWorld } from './support/worlds.js';

let deps: ManageTemplatesDeps;
let world: MemoryWorld;
let time: ReturnType<typeof manualClock>;

beforeEach(async () => {
  time = manualClock('2026-11-01T09:00:00.000Z');
  world = aWorld('2026-11-01T09:00:00.000Z');
  deps = {
    templates: world.templates,
    contacts: world.contacts,
    clock: time.clock,
    render: renderEmail,
    settings: {
      publicBaseUrl: 'https://mail.example.com',
      postalAddress: 'Rapport Books, 1 Quay Street, Dublin',
      sender: '"Rapport Books" <news@example.com>',
      defaultTimeZone: 'UTC',
    },
  };
});

const refusal = async (promise: Promise<unknown>): Promise<ValidationError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ValidationError))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
};

describe('saving a template draft', () => {
  it('refuses broken Liquid in the body, naming the field and the problem', async () => {
    const error = await refusal(
      putTemplateDraft(deps, 'welcome-mail', {
        ...welcomeMail,
        mjml: '<mj-text>{% if contact.name %}Hi</mj-text>',
      }),
    );

    expect(Object.keys(error.fields)).toEqual(['mjml']);
    expect(error.fields.mjml).toMatch(/tag .*if.* not closed/i);
    await expect(getTemplate(deps, 'welcome-mail')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses an unknown Liquid filter in the subject', async () => {
    const error = await refusal(
      putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, subject: 'Hi {{ contact.name | shout }}' }),
    );

    expect(error.fields.subject).toContain('shout');
  });

  it('refuses MJML the layout cannot hold, with the line in the body', async () => {
    const error = await refusal(
      putTemplateDraft(deps, 'welcome-mail', {
        ...welcomeMail,
        mjml: '<mj-text>Hi</mj-text>\n<mj-nonsense />',
      }),
    );

    expect(error.fields.mjml).toContain('line 2 of the body');
  });

  it('refuses a marketing template that needs the confirmation link it will never get', async () => {
    const error = await refusal(
      putTemplateDraft(deps, 'welcome-mail', {
        ...welcomeMail,
        text: 'Confirm: {{ links.confirm }}',
      }),
    );

    expect(error.fields.text).toContain('links.confirm');
  });

  describe('when a template renders more than the cap', () => {
    const runaway = '{% for i in (1..5000) %}{% for j in (1..1000) %}<p>Buy now!</p>{% endfor %}{% endfor %}';

    it('refuses the draft, naming the field and the limit, and stores nothing', async () => {
      const error = await refusal(
        putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, mjml: `<mj-text>${runaway}</mj-text>` }),
      );

      expect(error.message).toBe('the template is not valid; nothing was stored');
      expect(Object.keys(error.fields)).toEqual(['mjml']);
      expect(error.fields.mjml).toMatch(/^renders to more than 256 KiB/);
      await expect(getTemplate(deps, 'welcome-mail')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses a text part over its own cap', async () => {
      const error = await refusal(putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, text: runaway }));

      expect(error.fields).toEqual({ text: expect.stringContaining('128 KiB') });
    });
  });

  it('refuses a schema violation and an id unlike the path', async () => {
    expect(
      Object.keys(
        (await refusal(putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, kind: 'spam' }))).fields,
      ),
    ).toEqual(['kind']);
    expect((await refusal(putTemplateDraft(deps, 'other', welcomeMail))).fields).toEqual({
      id: 'must be "other", the template id in the path',
    });
  });

  it('stores a good draft and replaces it on the next save, without publishing it', async () => {
    await putTemplateDraft(deps, 'welcome-mail', welcomeMail);
    await putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, subject: 'Second try' });

    expect(await getTemplate(deps, 'welcome-mail')).toMatchObject({
      latest: null,
      draft: { revision: 2, template: { subject: 'Second try' } },
    });
    expect(await deps.templates.get('welcome-mail')).toBeUndefined();
    expect((await listTemplates(deps)).templates).toEqual([
      {
        templateId: 'welcome-mail',
        kind: 'marketing',
        subject: 'Second try',
        latestVersion: 0,
        hasDraft: true,
      },
    ]);
  });
});

describe('publishing a template', () => {
  it('is a conflict without a draft', async () => {
    await expect(publishTemplate(deps, 'welcome-mail')).rejects.toBeInstanceOf(ConflictError);
  });

  it('publishes drafts as numbered versions that mail is sent with', async () => {
    await putTemplateDraft(deps, 'welcome-mail', welcomeMail);
    expect(await publishTemplate(deps, 'welcome-mail')).toEqual({ templateId: 'welcome-mail', version: 1 });
    time.set('2026-11-02T09:00:00.000Z');
    await putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, subject: 'Welcome aboard' });
    expect((await publishTemplate(deps, 'welcome-mail')).version).toBe(2);

    expect(await templateVersions(deps, 'welcome-mail')).toEqual({
      templateId: 'welcome-mail',
      versions: [
        { version: 1, publishedAt: '2026-11-01T09:00:00.000Z' },
        { version: 2, publishedAt: '2026-11-02T09:00:00.000Z' },
      ],
    });
    expect((await deps.templates.get('welcome-mail'))?.subject).toBe('Welcome aboard');
    expect(await getTemplate(deps, 'welcome-mail')).toMatchObject({ draft: null, latest: { version: 2 } });
    expect((await listTemplates(deps)).templates).toEqual([
      {
        templateId: 'welcome-mail',
        kind: 'marketing',
        subject: 'Welcome aboard',
        latestVersion: 2,
        hasDraft: false,
      },
    ]);
  });

  it('stores the version with the HTML it compiles to, the HTML deliver sends and the preview shows', async () => {
    const edited = { ...welcomeMail, mjml: '<mj-text>Edited for {{ contact.name }}</mj-text>' };
    await putTemplateDraft(deps, 'welcome-mail', edited);
    await publishTemplate(deps, 'welcome-mail');

    expect(await deps.templates.forSending('welcome-mail')).toEqual({
      ...edited,
      version: 1,
      compiled: await compileEmail(edited),
    });
  });

  it('lists templates the repository published before drafts existed', async () => {
    await publishCompiled(deps.templates, { ...welcomeMail, id: 'seeded' }, time.clock.now());

    expect((await listTemplates(deps)).templates.map((t) => [t.templateId, t.latestVersion])).toEqual([
      ['seeded', 1],
    ]);
  });

  it('does not know the versions of a template that does not exist', async () => {
    await expect(templateVersions(deps, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('previewing a template', () => {
  beforeEach(async () => {
    await publishCompiled(deps.templates, welcomeMail, time.clock.now());
  });

  it('renders the latest version for the sample contact, footer and unsubscribe link included', async () => {
    const preview = await previewTemplate(deps, 'welcome-mail', undefined);

    expect(preview).toMatchObject({
      templateId: 'welcome-mail',
      source: 'version',
      version: 1,
      subject: 'Welcome, Sam Sample',
    });
    expect(preview.html).toContain('Rapport Books, 1 Quay Street');
    expect(preview.html).toContain('https://mail.example.com/v1/unsubscribe?token=preview');
    expect(preview.text).toContain('Hello Sam Sample');
  });

  it('renders the draft when there is one, for the contact given', async () => {
    await putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, subject: 'Draft for {{ contact.name }}' });

    const preview = await previewTemplate(deps, 'welcome-mail', { contact: { name: 'Ada' } });

    expect(preview).toMatchObject({ source: 'draft', subject: 'Draft for Ada' });
  });

  it('refuses a contact the template cannot be rendered for, naming the field', async () => {
    const error = await refusal(previewTemplate(deps, 'welcome-mail', { contact: { email: 7 } }));

    expect(Object.keys(error.fields)).toEqual(['contact']);
  });

  it('does not know a template that does not exist', async () => {
    await expect(previewTemplate(deps, 'nobody', undefined)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('renders content sent with the request without storing it, as an editor previews unsaved changes', async () => {
    const preview = await previewTemplate(deps, 'welcome-mail', {
      template: { ...welcomeMail, subject: 'Unsaved, {{ contact.name }}' },
    });

    expect(preview).toMatchObject({ source: 'draft', subject: 'Unsaved, Sam Sample' });
    expect((await getTemplate(deps, 'welcome-mail')).draft).toBeNull();
  });

  it('names the field of unsaved content that does not render, and refuses another template id', async () => {
    const broken = await refusal(
      previewTemplate(deps, 'welcome-mail', {
        template: { ...welcomeMail, subject: '{{ contact.name | shout }}' },
      }),
    );
    const elsewhere = await refusal(
      previewTemplate(deps, 'welcome-mail', { template: { ...welcomeMail, id: 'other' } }),
    );

    expect(Object.keys(broken.fields)).toEqual(['subject']);
    expect(Object.keys(elsewhere.fields)).toEqual(['template.id']);
  });

  it('renders for a contact on record, chosen by id, and names an id it does not know', async () => {
    const ada = aSubscribedContact({ name: 'Ada', attributes: { locale: 'en-GB' } });
    await world.contacts.create(aSignup(ada));

    const preview = await previewTemplate(deps, 'welcome-mail', { contactId: ada.id });
    const unknown = await refusal(previewTemplate(deps, 'welcome-mail', { contactId: 'nobody' }));

    expect(preview.subject).toBe('Welcome, Ada');
    expect(unknown.fields).toEqual({ contactId: 'there is no contact "nobody"' });
  });
  it('refuses to preview a version that renders more than the cap, naming the field', async () => {
    // Published from the repository, which does not trial-render: the preview is where it shows.
    const runaway = '{% for i in (1..5000) %}{% for j in (1..1000) %}<p>Buy now!</p>{% endfor %}{% endfor %}';
    await publishCompiled(
      deps.templates,
      { ...welcomeMail, id: 'runaway', mjml: `<mj-text>${runaway}</mj-text>` },
      time.clock.now(),
    );

    const error = await refusal(previewTemplate(deps, 'runaway', undefined));

    expect(error.message).toBe('the template could not be rendered');
    expect(error.fields).toEqual({ mjml: expect.stringMatching(/^renders to more than 256 KiB/) });
  });
});

describe('when a template reads what a journey message carries', () => {
  const dueMail = {
    ...welcomeMail,
    subject:
      'Your {{ trigger.item.name | default: "purchase" }} is due on {{ trigger.item.replacementDueAt | local_date }}',
  };

  it('previews with the trigger and event the request gives', async () => {
    await putTemplateDraft(deps, 'welcome-mail', dueMail);
    const preview = await previewTemplate(deps, 'welcome-mail', {
      trigger: {
        type: 'order_completed',
        at: '2026-01-03T10:00:00.000Z',
        data: {},
        item: { name: 'Office copier A200', replacementDueAt: '2027-01-02' },
      },
    });
    expect(preview.subject).toBe('Your Office copier A200 is due on 2 January 2027');
    expect((await previewTemplate(deps, 'welcome-mail', {})).subject).toBe('Your purchase is due on');
  });

  it('saves a draft that reads an unknown name, with a warning naming the field', async () => {
    const saved = await putTemplateDraft(deps, 'welcome-mail', {
      ...welcomeMail,
      subject: 'Your {{ product.name }}',
    });
    expect(saved.warnings).toEqual([
      { path: 'subject', message: expect.stringContaining('"product" is not something a template sees') },
    ]);
    expect((await putTemplateDraft(deps, 'welcome-mail', dueMail)).warnings).toEqual([]);
  });
});
