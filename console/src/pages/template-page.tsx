import {
  keepPreviousData,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import {
  type TemplateDetails,
  TemplateDetails as TemplateDetailsSchema,
  TemplateDraftSaved,
  TemplatePreview,
  TemplatePublished,
  TemplateVersionList,
  TestSendReceipt,
} from '../../../lib/domain/template-answers.js';
import { AdminApiError, adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { QueryState, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';
import { useDebounced } from '../use-debounced.js';

/** How long typing pauses before the server renders the preview again. */
const previewDelayMs = 400;

const templatePath = (id: string, rest = '') => `/admin/templates/${encodeURIComponent(id)}${rest}`;

/** The fields an answer named, so each problem shows beside its own field. */
const fieldsOf = (error: unknown): Record<string, string> =>
  error instanceof AdminApiError ? error.fields : {};

type Editable = Pick<EmailTemplate, 'subject' | 'text' | 'mjml'> & { preheader: string };

const editableOf = (template: EmailTemplate): Editable => ({
  subject: template.subject,
  preheader: template.preheader ?? '',
  text: template.text,
  mjml: template.mjml,
});

/** The template as the API takes it: what was loaded, with the edited fields (an empty preheader left out). */
const contentOf = (base: EmailTemplate, edited: Editable): EmailTemplate => {
  const { preheader, ...rest } = edited;
  const { preheader: _previous, ...unchanged } = base;
  return { ...unchanged, ...rest, ...(preheader === '' ? {} : { preheader }) };
};

/** A template: its editor with a live preview, its versions, publishing and a test sent to an address. */
export const TemplatePage = () => {
  const id = useParams().id ?? '';
  const details = useQuery({
    queryKey: ['template', id],
    queryFn: () => adminApi(TemplateDetailsSchema, 'GET', templatePath(id)),
  });
  return (
    <QueryState query={details} what="the template">
      {(loaded) => <TemplateWorkspace key={id} details={loaded} />}
    </QueryState>
  );
};

const TemplateWorkspace = ({ details }: { details: TemplateDetails }) => {
  const id = details.templateId;
  const queries = useQueryClient();
  const mayEdit = useMay('marketer');
  const base = details.draft?.template ?? details.latest?.template;
  const [saved, setSaved] = useState<Editable | undefined>(base === undefined ? undefined : editableOf(base));
  const [edited, setEdited] = useState<Editable | undefined>(saved);
  const [contactId, setContactId] = useState('');
  const versions = useQuery({
    queryKey: ['template-versions', id],
    queryFn: () => adminApi(TemplateVersionList, 'GET', templatePath(id, '/versions')),
  });
  const content = useMemo(
    () => (base === undefined || edited === undefined ? undefined : contentOf(base, edited)),
    [base, edited],
  );
  const settled = useDebounced(
    useMemo(() => ({ content, contactId: contactId.trim() }), [content, contactId]),
    previewDelayMs,
  );
  const preview = useQuery({
    queryKey: ['template-preview', id, settled],
    queryFn: () =>
      adminApi(TemplatePreview, 'POST', templatePath(id, '/preview'), {
        template: settled.content,
        ...(settled.contactId === '' ? {} : { contactId: settled.contactId }),
      }),
    // The last good preview stays while the next renders, or while the content does not.
    placeholderData: keepPreviousData,
    retry: false,
    enabled: mayEdit && settled.content !== undefined,
  });
  const refresh = () =>
    Promise.all([
      queries.invalidateQueries({ queryKey: ['template', id] }),
      queries.invalidateQueries({ queryKey: ['template-versions', id] }),
      queries.invalidateQueries({ queryKey: ['templates'] }),
    ]);
  const save = useMutation({
    mutationFn: (template: EmailTemplate) =>
      adminApi(TemplateDraftSaved, 'PUT', templatePath(id, '/draft'), template),
    onSuccess: async (_answer, template) => {
      setSaved(editableOf(template));
      await refresh();
    },
  });
  const publish = useMutation({
    mutationFn: () => adminApi(TemplatePublished, 'POST', templatePath(id, '/publish'), {}),
    onSuccess: refresh,
  });

  if (base === undefined || edited === undefined || content === undefined) {
    return (
      <>
        <h1>{id}</h1>
        <p>This template has neither a draft nor a published version.</p>
      </>
    );
  }
  const dirty = JSON.stringify(edited) !== JSON.stringify(saved);
  const problems = { ...fieldsOf(preview.error), ...fieldsOf(save.error) };
  const field = (name: keyof Editable) => ({
    id: `template-${name}`,
    value: edited[name],
    readOnly: !mayEdit,
    'aria-invalid': problems[name] === undefined ? undefined : true,
    'aria-describedby': problems[name] === undefined ? undefined : `template-${name}-problem`,
    onChange: (event: { target: { value: string } }) => setEdited({ ...edited, [name]: event.target.value }),
  });
  const problemOf = (name: keyof Editable) =>
    problems[name] === undefined ? null : (
      <span id={`template-${name}-problem`} className="problem">
        {problems[name]}
      </span>
    );
  const nextVersion = (details.latest?.version ?? 0) + 1;

  return (
    <>
      <h1>{id}</h1>
      <p>
        <Link to="/templates">All templates</Link>
      </p>
      <dl className="facts">
        <dt>Kind</dt>
        <dd>{base.kind}</dd>
        <dt>Published</dt>
        <dd>
          {details.latest === null
            ? 'not yet'
            : `v${details.latest.version}, ${when(details.latest.publishedAt)}`}
        </dd>
        <dt>Draft</dt>
        <dd>
          {details.draft === null
            ? 'none'
            : `revision ${details.draft.revision}, saved ${when(details.draft.updatedAt)}`}
        </dd>
      </dl>

      <div className="template-workspace">
        <form
          className="editor template-editor"
          aria-label="Template"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            save.mutate(content);
          }}
        >
          <div className="field">
            <label htmlFor="template-subject">Subject</label>
            <input {...field('subject')} />
            {problemOf('subject')}
          </div>
          <div className="field">
            <label htmlFor="template-preheader">Preheader</label>
            <input {...field('preheader')} />
            {problemOf('preheader')}
          </div>
          <div className="field">
            <label htmlFor="template-text">Text version</label>
            <textarea rows={8} {...field('text')} />
            {problemOf('text')}
          </div>
          <div className="field">
            <label htmlFor="template-mjml">MJML body</label>
            <textarea rows={14} spellCheck={false} {...field('mjml')} />
            {problemOf('mjml')}
          </div>
          {mayEdit ? (
            <div className="actions">
              <button type="submit" disabled={save.isPending || !dirty}>
                {save.isPending ? 'Saving…' : 'Save draft'}
              </button>
              <button
                type="button"
                disabled={publish.isPending || details.draft === null || dirty}
                onClick={() => {
                  if (
                    window.confirm(
                      `Publish the draft of “${id}” as v${nextVersion}? Messages sent from now on use it.`,
                    )
                  )
                    publish.mutate();
                }}
              >
                Publish draft
              </button>
            </div>
          ) : null}
          <div aria-live="polite">
            {dirty && mayEdit ? (
              <p className="muted">Unsaved changes: save the draft to publish or test them.</p>
            ) : null}
            {save.isSuccess && !dirty ? <p>Draft saved.</p> : null}
            {save.data?.warnings.map((warning) => (
              <p key={`${warning.path}:${warning.message}`} className="muted">
                {warning.path}: {warning.message}
              </p>
            ))}
            {publish.isSuccess ? <p>Published as v{publish.data.version}.</p> : null}
          </div>
          {save.isError ? (
            <p role="alert" className="problem">
              The draft was not saved: {save.error.message}
            </p>
          ) : null}
          {publish.isError ? (
            <p role="alert" className="problem">
              The draft was not published: {publish.error.message}
            </p>
          ) : null}
        </form>

        <section className="template-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <div className="field">
            <label htmlFor="preview-contact">Contact id</label>
            <input
              id="preview-contact"
              value={contactId}
              onChange={(event) => setContactId(event.target.value)}
              aria-describedby="preview-contact-hint"
              aria-invalid={problems.contactId === undefined ? undefined : true}
            />
            <span
              id="preview-contact-hint"
              className={problems.contactId === undefined ? 'muted' : 'problem'}
            >
              {problems.contactId ?? 'Empty: the sample contact, Sam Sample.'}
            </span>
          </div>
          {mayEdit ? <PreviewFrames preview={preview} /> : <p>Previews need the marketer role.</p>}
        </section>
      </div>

      <h2>Versions</h2>
      <QueryState query={versions} what="the versions">
        {({ versions: list }) =>
          list.length === 0 ? (
            <p>Nothing published yet.</p>
          ) : (
            <ul className="template-versions">
              {[...list].reverse().map((version) => (
                <li key={version.version}>
                  v{version.version}, published {when(version.publishedAt)}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>

      {mayEdit ? (
        <TestSendForm
          templateId={id}
          hasDraft={details.draft !== null}
          versions={versions.data?.versions.map((version) => version.version) ?? []}
          contactId={contactId.trim()}
        />
      ) : null}
    </>
  );
};

/** The rendered email at a desktop and a phone width: inline styles only, no script, nothing it may reach. */
const PreviewFrames = ({ preview }: { preview: UseQueryResult<TemplatePreview> }) => {
  if (preview.isPending) return <p aria-live="polite">Rendering the preview…</p>;
  const shown = preview.data;
  return (
    <>
      {preview.isError ? (
        <p role="alert" className="problem">
          The preview could not be rendered: {preview.error.message}
          {shown === undefined ? '' : ' (showing the last one that could)'}
        </p>
      ) : null}
      {shown === undefined ? null : (
        <>
          <p aria-live="polite" className="preview-subject">
            <span className="muted">Subject:</span> <output>{shown.subject}</output>
            {preview.isFetching ? <span className="muted"> (updating…)</span> : null}
          </p>
          <div className="preview-frames">
            <TableScroll label="Desktop preview">
              <h3>Desktop, 600 px</h3>
              <iframe
                className="preview-desktop"
                title="Email preview at desktop width"
                sandbox=""
                srcDoc={shown.html}
              />
            </TableScroll>
            <div>
              <h3>Mobile, 360 px</h3>
              <iframe
                className="preview-mobile"
                title="Email preview at mobile width"
                sandbox=""
                srcDoc={shown.html}
              />
            </div>
          </div>
        </>
      )}
    </>
  );
};

/** Mails the saved draft or a version to one address, marked as a test; no contact's message is recorded. */
const TestSendForm = ({
  templateId,
  hasDraft,
  versions,
  contactId,
}: {
  templateId: string;
  hasDraft: boolean;
  versions: number[];
  contactId: string;
}) => {
  const [to, setTo] = useState('');
  const [choice, setChoice] = useState('');
  const latest = versions.at(-1);
  const chosen = choice !== '' ? choice : hasDraft ? 'draft' : latest === undefined ? '' : String(latest);
  const send = useMutation({
    mutationFn: () =>
      adminApi(TestSendReceipt, 'POST', templatePath(templateId, '/test-send'), {
        to: to.trim(),
        ...(chosen === '' ? {} : { version: chosen === 'draft' ? 'draft' : Number(chosen) }),
        ...(contactId === '' ? {} : { contactId }),
      }),
  });
  const problems = fieldsOf(send.error);
  return (
    <section className="test-send" aria-labelledby="test-heading">
      <h2 id="test-heading">Send a test</h2>
      <form
        className="editor"
        aria-label="Send a test"
        onSubmit={(event) => {
          event.preventDefault();
          send.mutate();
        }}
      >
        <div className="field">
          <label htmlFor="test-to">Send a test to</label>
          <input
            id="test-to"
            type="email"
            required
            autoComplete="email"
            value={to}
            onChange={(event) => setTo(event.target.value)}
            aria-invalid={problems.to === undefined ? undefined : true}
            aria-describedby={problems.to === undefined ? undefined : 'test-to-problem'}
          />
          {problems.to === undefined ? null : (
            <span id="test-to-problem" className="problem">
              {problems.to}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="test-version">Content</label>
          <select id="test-version" value={chosen} onChange={(event) => setChoice(event.target.value)}>
            {hasDraft ? <option value="draft">The saved draft</option> : null}
            {[...versions].reverse().map((version) => (
              <option key={version} value={String(version)}>
                v{version}
                {version === latest ? ' (latest)' : ''}
              </option>
            ))}
          </select>
        </div>
        <p className="muted">
          For {contactId === '' ? 'the sample contact' : `contact ${contactId}`}, as the preview; the subject
          starts with “[Test]” and its links lead nowhere.
        </p>
        <button type="submit" disabled={send.isPending}>
          {send.isPending ? 'Sending…' : 'Send test'}
        </button>
        <div aria-live="polite">
          {send.isSuccess ? (
            <p>
              Sent “{send.data.subject}” to {send.data.to}.
            </p>
          ) : null}
        </div>
        {send.isError ? (
          <p role="alert" className="problem">
            The test was not sent: {send.error.message}
          </p>
        ) : null}
      </form>
    </section>
  );
};
