import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Channel } from '../../../lib/domain/contact.js';
import {
  DeliveryPolicyAnswer,
  DeliveryPolicyValidation,
} from '../../../lib/domain/delivery-policy-answers.js';
import type { Problem } from '../../../lib/domain/problem.js';
import { AdminApiError, adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import {
  type ChannelForm,
  channels,
  type PolicyForm,
  policyForm,
  policyOfForm,
} from '../delivery-policy-form.js';
import { channelName, channelPolicyInWords } from '../delivery-policy-words.js';
import { FieldProblem, fieldProblems, useChecked } from '../field-problems.js';
import { QueryState, when } from '../query-state.js';

const checkPolicy = async (body: unknown) =>
  (await adminApi(DeliveryPolicyValidation, 'POST', '/admin/delivery-policy/validate', body)).problems;

const minutes = (seconds: number): string =>
  seconds % 60 === 0 && seconds >= 60
    ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}`
    : `${seconds} seconds`;

/** The delivery policy in plain words for everyone, and for admins a form to change it. */
export const DeliveryPolicySection = () => {
  const mayEdit = useMay('admin');
  const answer = useQuery({
    queryKey: ['delivery-policy'],
    queryFn: () => adminApi(DeliveryPolicyAnswer, 'GET', '/admin/delivery-policy'),
  });
  return (
    <section aria-labelledby="delivery-policy">
      <h2 id="delivery-policy">Delivery policy</h2>
      <p>
        How often, and when, marketing messages may reach one contact, counted across every journey and
        campaign. Transactional mail, such as the confirmation email, is never held back.
      </p>
      <QueryState query={answer} what="the delivery policy">
        {(current) => (
          <>
            <p className="muted">
              {current.publishedAt === null
                ? 'Never published: nothing is held back.'
                : `Version ${current.version}, published ${when(current.publishedAt)}.`}{' '}
              A change reaches sending within {minutes(current.takesEffectWithinSeconds)}. A deployment whose
              delivery-policy.yaml changed publishes that file again.
            </p>
            <div className="policy-channels">
              {channels.map((channel) => (
                <div key={channel}>
                  <h3>{channelName[channel]}</h3>
                  <ul>
                    {channelPolicyInWords(channel, current.policy[channel]).map((sentence) => (
                      <li key={sentence}>{sentence}</li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
            {mayEdit ? <DeliveryPolicyForm current={current} /> : null}
          </>
        )}
      </QueryState>
    </section>
  );
};

/** The problems of this path itself, not of the fields under it (`at` takes those too). */
const exactly = (problems: readonly Problem[], path: string): string =>
  problems
    .filter((problem) => problem.path === path)
    .map((problem) => problem.message)
    .join('; ');

const problemsOfError = (error: unknown): Problem[] =>
  error instanceof AdminApiError
    ? Object.entries(error.fields).map(([path, message]) => ({ path, message }))
    : [];

const DeliveryPolicyForm = ({ current }: { current: DeliveryPolicyAnswer }) => {
  const queries = useQueryClient();
  const [form, setForm] = useState<PolicyForm>(() => policyForm(current.policy));
  const policy = policyOfForm(form);
  const checked = useChecked(JSON.stringify({ policy }), checkPolicy);
  const save = useMutation({
    mutationFn: () =>
      adminApi(DeliveryPolicyAnswer, 'PUT', '/admin/delivery-policy', { policy, version: current.version }),
    onSuccess: (saved) => {
      queries.setQueryData(['delivery-policy'], saved);
      setForm(policyForm(saved.policy));
    },
    // Another publication came first: show it, and let the admin save theirs over it knowingly.
    onError: (error) =>
      error instanceof AdminApiError && error.status === 409
        ? queries.invalidateQueries({ queryKey: ['delivery-policy'] })
        : undefined,
  });
  const problems = [...checked, ...problemsOfError(save.error)];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const change = (channel: Channel, next: Partial<ChannelForm>) => {
    save.reset();
    setForm({ ...form, [channel]: { ...form[channel], ...next } });
  };
  const { at, describe } = fieldProblems(problems);
  return (
    <form onSubmit={submit} noValidate className="editor policy-form" aria-labelledby="policy-form">
      <h3 id="policy-form">Change the delivery policy</h3>
      {channels.map((channel) => (
        <ChannelFields
          key={channel}
          channel={channel}
          values={form[channel]}
          change={(next) => change(channel, next)}
          problemAt={at}
          exactlyAt={(path) => exactly(problems, path)}
          describe={describe}
        />
      ))}
      <FieldProblem path="policy" problem={exactly(problems, 'policy')} />
      <FieldProblem path="version" problem={at('version')} />
      <button type="submit" disabled={save.isPending || checked.length > 0}>
        {save.isPending ? 'Saving…' : 'Save the delivery policy'}
      </button>
      {save.isError ? (
        <p role="alert" className="problem">
          Not saved: {save.error.message}
          {save.error instanceof AdminApiError && save.error.status === 409
            ? '. The policy in force is shown above; save again to replace it with this one.'
            : ''}
        </p>
      ) : null}
      {save.isSuccess ? (
        <p role="status">
          Saved as version {save.data.version}; sending follows it within{' '}
          {minutes(save.data.takesEffectWithinSeconds)}.
        </p>
      ) : null}
    </form>
  );
};

/** A field's problem attributes, with its hint described too. */
const withHint = (described: ReturnType<ReturnType<typeof fieldProblems>['describe']>, hintId: string) =>
  'aria-describedby' in described
    ? { ...described, 'aria-describedby': `${hintId} ${described['aria-describedby']}` }
    : { 'aria-describedby': hintId };

const ChannelFields = ({
  channel,
  values,
  change,
  problemAt,
  exactlyAt,
  describe,
}: {
  channel: Channel;
  values: ChannelForm;
  change: (next: Partial<ChannelForm>) => void;
  problemAt: (path: string) => string;
  exactlyAt: (path: string) => string;
  describe: ReturnType<typeof fieldProblems>['describe'];
}) => {
  const base = `policy.${channel}`;
  const id = (name: string) => `policy-${channel}-${name}`;
  const Problem = ({ path }: { path: string }) => <FieldProblem path={path} problem={problemAt(path)} />;
  const setCap = (index: number, field: 'max' | 'per', value: string) =>
    change({ caps: values.caps.map((cap, at) => (at === index ? { ...cap, [field]: value } : cap)) });
  return (
    <fieldset>
      <legend>{channelName[channel]}</legend>
      <FieldProblem path={base} problem={exactlyAt(base)} />
      {values.caps.length === 0 ? <p className="muted">No caps.</p> : null}
      {values.caps.map((cap, index) => {
        const capPath = `${base}.caps.${index}`;
        const capKey = `${channel}-cap-${index}`;
        return (
          <div className="policy-cap" key={capKey}>
            <div className="field">
              <label htmlFor={id(`cap-${index}-max`)}>Cap {index + 1}: at most</label>
              <input
                id={id(`cap-${index}-max`)}
                inputMode="numeric"
                value={cap.max}
                onChange={(event) => setCap(index, 'max', event.target.value)}
                {...describe(`${capPath}.max`)}
              />
              <Problem path={`${capPath}.max`} />
            </div>
            <div className="field">
              <label htmlFor={id(`cap-${index}-per`)}>Cap {index + 1}: per</label>
              <input
                id={id(`cap-${index}-per`)}
                value={cap.per}
                {...withHint(describe(`${capPath}.per`), id('per-hint'))}
                onChange={(event) => setCap(index, 'per', event.target.value)}
              />
              <Problem path={`${capPath}.per`} />
            </div>
            <button
              type="button"
              className="secondary"
              onClick={() => change({ caps: values.caps.filter((_, at) => at !== index) })}
            >
              Remove cap {index + 1}
              <span className="visually-hidden"> of {channelName[channel]}</span>
            </button>
          </div>
        );
      })}
      <p id={id('per-hint')} className="muted">
        A cap’s window is an ISO 8601 duration: P7D is 7 days, P1D a day, PT12H 12 hours.
      </p>
      <FieldProblem path={`${base}.caps`} problem={exactlyAt(`${base}.caps`)} />
      <div>
        <button
          type="button"
          className="secondary"
          onClick={() => change({ caps: [...values.caps, { max: '1', per: 'P1D' }] })}
        >
          Add a cap<span className="visually-hidden"> to {channelName[channel]}</span>
        </button>
      </div>
      <div className="policy-quiet">
        <div className="field">
          <label htmlFor={id('quiet-start')}>Quiet hours from</label>
          <input
            id={id('quiet-start')}
            type="time"
            value={values.quietStart}
            onChange={(event) => change({ quietStart: event.target.value })}
            {...describe(`${base}.quiet_hours`)}
          />
        </div>
        <div className="field">
          <label htmlFor={id('quiet-end')}>Quiet hours until</label>
          <input
            id={id('quiet-end')}
            type="time"
            value={values.quietEnd}
            onChange={(event) => change({ quietEnd: event.target.value })}
            {...describe(`${base}.quiet_hours`)}
          />
        </div>
      </div>
      <p className="muted">In the contact’s time zone; leave both empty for none. They may span midnight.</p>
      <Problem path={`${base}.quiet_hours`} />
      <label htmlFor={id('when-capped')}>When a cap is reached</label>
      <select
        id={id('when-capped')}
        value={values.whenCapped}
        onChange={(event) => change({ whenCapped: event.target.value === 'skip' ? 'skip' : 'defer' })}
        {...describe(`${base}.when_capped`)}
      >
        <option value="defer">Send it once the cap allows</option>
        <option value="skip">Drop it</option>
      </select>
      <Problem path={`${base}.when_capped`} />
    </fieldset>
  );
};
