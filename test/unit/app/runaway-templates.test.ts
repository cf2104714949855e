import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import {
  getTemplate,
  type ManageTemplatesDeps,
  publishTemplate,
  putTemplateDraft,
} from '../../../lib/app/manage-templates.js';
import { NotFoundError, ValidationError } from '../../../lib/domain/errors.js';
import { renderEmail } from '../../../lib/templates/render-email.js';
import { aContact, aMessage } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { welcomeMail } from './support/admin.js';
import { aDeliveryWorld, aWorld, type DeliveryWorld } from './support/worlds.js';

/**
 * Templates written to hang or flood whatever renders them: a loop that would run for
 * days, the same with an empty body (which liquidjs's own time check did not see), one
 * that renders 50 MB, and a template that includes itself. Each is refused when it is
 * saved, naming the field and the limit; and one that is stored anyway (published before
 * the limits, or by the content seed) fails its message at send time instead of holding
 * `deliver`.
 */
const runaways = {
  'a loop that would run for days':
    '{% for i in (1..1000000) %}{% for j in (1..1000000) %}{{ i }}{% endfor %}{% endfor %}',
  'a loop that would run for days with nothing in it':
    '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}',
  'a loop that renders 50 MB': `{% for i in (1..51200) %}${'x'.repeat(1024)}{% endfor %}`,
} as const;

/** How each limit is named to the template's author. */
const anyLimit = /took longer than the 300 ms limit|units of Liquid memory|renders to more than/;

const including = {
  '{% render %} of itself': "{% render 'welcome-mail' %}",
  '{% include %} of itself': "{% include 'welcome-mail' %}",
  '{% layout %}': "{% layout 'welcome-mail' %}",
} as const;

const fieldsOf = async (promise: Promise<unknown>): Promise<Record<string, string>> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ValidationError))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error.fields;
};

describe('saving a template that runs away', () => {
  let world: MemoryWorld;
  let deps: ManageTemplatesDeps;

  beforeEach(() => {
    world = aWorld('2026-11-01T09:00:00.000Z');
    deps = {
      templates: world.templates,
      contacts: world.contacts,
      clock: world.clock,
      render: renderEmail,
      settings: {
        publicBaseUrl: 'https://mail.example.com',
        postalAddress: 'Rapport Books, 1 Quay Street, Dublin',
        sender: '"Rapport Books" <news@example.com>',
        defaultTimeZone: 'UTC',
      },
    };
  });

  describe.each(Object.entries(runaways))('with %s', (_name, source) => {
    it('refuses the draft in the body, naming the field and the limit, and stores nothing', async () => {
      const fields = await fieldsOf(
        putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, mjml: `<mj-text>${source}</mj-text>` }),
      );

      expect(Object.keys(fields)).toEqual(['mjml']);
      expect(fields.mjml).toMatch(anyLimit);
      await expect(getTemplate(deps, 'welcome-mail')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses it in the text part too', async () => {
      expect(
        await fieldsOf(putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, text: source })),
      ).toEqual({
        text: expect.stringMatching(anyLimit),
      });
    });
  });

  describe.each(Object.entries(including))('with %s', (_name, source) => {
    it('refuses the draft, saying a template stands alone', async () => {
      const fields = await fieldsOf(
        putTemplateDraft(deps, 'welcome-mail', { ...welcomeMail, text: `Hi ${source}` }),
      );

      expect(fields).toEqual({ text: expect.stringContaining('a template cannot use another template') });
    });
  });

  it('refuses to publish a draft whose render runs away', async () => {
    await putTemplateDraft(deps, 'welcome-mail', welcomeMail);
    // A draft saved before the limits were in place, as the store may hold one.
    const saved = await world.templates.getDraft('welcome-mail');
    if (saved === undefined) throw new Error('the draft was not saved');
    await world.templates.putDraft(
      { ...saved.template, text: runaways['a loop that would run for days'] },
      world.clock.now(),
    );

    const refusal = publishTemplate(deps, 'welcome-mail');

    await expect(refusal).rejects.toBeInstanceOf(ValidationError);
    expect((await getTemplate(deps, 'welcome-mail')).latest).toBeNull();
  });
});

describe('delivering a message whose stored template runs away', () => {
  let delivery: DeliveryWorld;

  beforeEach(async () => {
    delivery = await aDeliveryWorld();
  });

  it.each(Object.entries(runaways))(
    'fails the message with %s, naming the limit, and sends nothing',
    async (_name, source) => {
      await publishCompiled(
        delivery.world.templates,
        {
          id: 'runaway',
          kind: 'transactional',
          subject: 'Offers',
          text: 'Offers',
          mjml: `<mj-text>${source}</mj-text>`,
        },
        delivery.clock.now(),
      );
      const message = aMessage('RUNAWAY1', { templateId: 'runaway' });
      await delivery.add(aContact({ id: message.contactId, email: 'runaway@example.com' }), [message]);

      const outcome = await deliverMessage(delivery.deps, message);

      expect(outcome).toEqual({
        outcome: 'failed',
        error: expect.stringMatching(/^render: template "runaway": mjml: /),
      });
      expect(outcome.outcome === 'failed' ? outcome.error : '').toMatch(anyLimit);
      expect(await delivery.outbox.get(message.contactId, message.key)).toMatchObject({ status: 'failed' });
      expect(delivery.world.mailer.sentTo('runaway@example.com')).toHaveLength(0);
    },
  );
});
