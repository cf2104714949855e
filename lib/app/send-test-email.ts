import { z } from 'zod';
import { normalizeEmail } from '../domain/contact.js';
import { MailerRejectedError, ValidationError } from '../domain/errors.js';
import type { TestSendReceipt } from '../domain/template-answers.js';
import type { Mailer } from '../ports/mailer.js';
import type { SuppressionStore } from '../ports/suppression-store.js';
import { problemsOf, refuse } from './admin/problems.js';
import {
  type ManageTemplatesDeps,
  RenderFor,
  type RenderSource,
  renderTrial,
  storedSource,
} from './manage-templates.js';

export interface SendTestEmailDeps extends ManageTemplatesDeps {
  mailer: Mailer;
  /** A bounced or complaining address is not written to again, not even for a test. */
  suppressions: Pick<SuppressionStore, 'isSuppressed'>;
}

export const TestSendRequest = RenderFor.extend({
  /** Where the test goes: the marketer's own inbox, not the contact's. */
  to: z.email({ error: 'must be an email address' }).max(254, 'must be at most 254 characters'),
  /** The draft, a published version, or (left out) what a preview shows: the draft if there is one, else the latest version. */
  version: z.union([z.literal('draft'), z.number().int().min(1)]).optional(),
});
export type TestSendRequest = z.infer<typeof TestSendRequest>;

/** Marks a test in the inbox, so nobody takes it for the real thing. */
export const testSubjectPrefix = '[Test] ';

const chosenSource = async (
  deps: SendTestEmailDeps,
  templateId: string,
  version: TestSendRequest['version'],
): Promise<RenderSource> => {
  if (version === undefined) return storedSource(deps, templateId);
  if (version === 'draft') {
    const draft = await deps.templates.getDraft(templateId);
    if (draft === undefined) {
      throw new ValidationError(
        { version: `template "${templateId}" has no draft; test a published version` },
        'the test was not sent',
      );
    }
    return { source: 'draft', template: draft.template };
  }
  const published = await deps.templates.version(templateId, version);
  if (published === undefined) {
    throw new ValidationError(
      { version: `template "${templateId}" has no version ${version}` },
      'the test was not sent',
    );
  }
  return { source: 'version', version, template: published.template };
};

/**
 * Renders the template as a preview does (the chosen contact or the sample
 * one, placeholder links) and mails it to `to`, marked as a test. It is no
 * contact's message: nothing goes in the outbox, no tag ties it to a contact,
 * journey or campaign (so SES feedback counts it under none), and it carries
 * no one-click unsubscribe header, as its links lead nowhere.
 */
export const sendTestEmail = async (
  deps: SendTestEmailDeps,
  templateId: string,
  body: unknown,
): Promise<TestSendReceipt> => {
  const request = TestSendRequest.safeParse(body ?? {});
  if (!request.success) throw refuse(problemsOf(request.error), 'the test was not sent');
  const { to, version, ...renderFor } = request.data;
  if (await deps.suppressions.isSuppressed('email', normalizeEmail(to), deps.clock.now())) {
    throw new ValidationError(
      { to: 'is on the suppression list (it bounced or complained); nothing is sent to it' },
      'the test was not sent',
    );
  }
  const source = await chosenSource(deps, templateId, version);
  const rendered = await renderTrial(deps, source, renderFor);
  const subject = `${testSubjectPrefix}${rendered.subject}`;
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await deps.mailer.send({
      from: deps.settings.sender,
      to,
      subject,
      html: rendered.html,
      text: rendered.text,
      headers: [],
      tags: {},
    }));
  } catch (error) {
    if (!(error instanceof MailerRejectedError)) throw error;
    throw new ValidationError(
      { to: `was refused by the mail service: ${error.message}` },
      'the test was not sent',
    );
  }
  const sent = { templateId, to, subject, providerMessageId };
  return source.source === 'version'
    ? { ...sent, source: 'version', version: source.version }
    : { ...sent, source: 'draft' };
};
