import { describe, expect, it } from 'vitest';
import { InvalidStackConfigError } from '../../infra/cloud/stack-config.js';
import { topology } from '../../infra/topology.js';
import { parseRuntimeEnv } from '../../lib/config/runtime-env.js';
import { functionsByEntry, resourcesOf, synthRapport } from './synth-rapport.js';

/** Every function's deployed environment variables, by topology entry. */
const environments = (context: Record<string, unknown>): Map<string, Record<string, string>> => {
  const { template } = synthRapport({ context });
  const resources = resourcesOf(template);
  const byEntry = new Map<string, Record<string, string>>();
  for (const [name, id] of functionsByEntry(template)) {
    const environment = resources[id]?.Properties.Environment;
    const variables =
      typeof environment === 'object' && environment !== null && 'Variables' in environment
        ? environment.Variables
        : {};
    byEntry.set(
      name,
      Object.fromEntries(
        Object.entries(variables ?? {}).flatMap(([key, value]) =>
          typeof value === 'string' ? [[key, value]] : [],
        ),
      ),
    );
  }
  return byEntry;
};

/**
 * The environment as the function reads it. What Lambda and CloudFormation fill in at
 * deploy time (the region, the table name and the API URL are tokens here) is filled in.
 */
const asDeployed = (variables: Record<string, string> = {}) =>
  parseRuntimeEnv({
    AWS_REGION: 'eu-west-1',
    TABLE_NAME: 'rapport',
    PUBLIC_BASE_URL: 'https://api.example.com',
    ...variables,
  });

/** The functions that show or check topics: the forms, the pages, and the emails that name them. */
const topicReaders = ['site', 'signup', 'preferences', 'deliver', 'admin-templates', 'admin-settings'];
/** The functions that read the time of day in a contact's zone. */
const zoneReaders = ['journeys', 'deliver', 'journey-jobs', 'admin-journeys'];

describe('when the context leaves the default time zone and the topics unset', () => {
  it('leaves the functions their own defaults (UTC, the built-in topics)', () => {
    for (const [name, variables] of environments({})) {
      expect(variables, name).not.toHaveProperty('DEFAULT_TIME_ZONE');
      expect(variables, name).not.toHaveProperty('TOPICS');
    }
  });
});

describe('when the context sets rapport:defaultTimeZone', () => {
  it('hands it to every function that reads a contact’s local time', () => {
    const deployed = environments({ 'rapport:defaultTimeZone': 'Europe/Berlin' });
    for (const name of zoneReaders)
      expect(deployed.get(name), name).toMatchObject({ DEFAULT_TIME_ZONE: 'Europe/Berlin' });
  });

  it('takes an alias the functions take too', () => {
    const deployed = environments({ 'rapport:defaultTimeZone': 'US/Pacific' });
    expect(deployed.get('deliver')).toMatchObject({ DEFAULT_TIME_ZONE: 'US/Pacific' });
  });

  it.each(['Mars/Olympus', '+01:00'])('fails synth for %s, naming the key and the value', (zone) => {
    const synth = () => synthRapport({ context: { 'rapport:defaultTimeZone': zone } });
    expect(synth).toThrow(InvalidStackConfigError);
    expect(synth).toThrow(
      `rapport:defaultTimeZone: "${zone}" must be an IANA time zone such as Europe/Berlin`,
    );
  });
});

describe('when the context sets rapport:defaultCurrency', () => {
  it('hands it, upper-cased, to every function, which reads it as its currency', () => {
    for (const [name, variables] of environments({ 'rapport:defaultCurrency': 'jpy' })) {
      expect(variables, name).toMatchObject({ DEFAULT_CURRENCY: 'JPY' });
      expect(asDeployed(variables).DEFAULT_CURRENCY, name).toBe('JPY');
    }
  });

  it('fails synth for a code that is no currency, naming the key and the value', () => {
    const synth = () => synthRapport({ context: { 'rapport:defaultCurrency': 'EURO' } });
    expect(synth).toThrow(InvalidStackConfigError);
    expect(synth).toThrow('rapport:defaultCurrency: "EURO" must be an ISO 4217 currency code such as EUR');
  });
});

describe('when the context sets rapport:topics', () => {
  it('hands id=label text to the functions that show topics, which read the labels from it', () => {
    const setting = 'newsletter=Our newsletter,offers=Offers';
    const deployed = environments({ 'rapport:topics': setting });
    for (const name of topicReaders) {
      const variables = deployed.get(name);
      expect(variables?.TOPICS, name).toBe(setting);
      expect(asDeployed(variables).TOPICS).toEqual([
        { id: 'newsletter', label: 'Our newsletter' },
        { id: 'offers', label: 'Offers' },
      ]);
    }
  });

  it('takes an object of labels, as cdk.json holds one, and hands it on as JSON', () => {
    const deployed = environments({ 'rapport:topics': { newsletter: 'News, views', offers: 'Offers' } });
    const variables = deployed.get('signup');
    expect(variables?.TOPICS).toBe('{"newsletter":"News, views","offers":"Offers"}');
    expect(asDeployed(variables).TOPICS).toEqual([
      { id: 'newsletter', label: 'News, views' },
      { id: 'offers', label: 'Offers' },
    ]);
  });

  it('gives every function the same topics, so none disagrees about a contact’s', () => {
    const deployed = environments({ 'rapport:topics': 'newsletter,offers' });
    expect(deployed.size).toBe(topology.length);
    for (const [name, variables] of deployed) expect(variables.TOPICS, name).toBe('newsletter,offers');
  });

  it.each([
    [
      'an id that is not lowercase',
      'Newsletter=Ours',
      'topic "Newsletter" must be lowercase letters, digits and -',
    ],
    ['an empty label', 'newsletter=', 'topic "newsletter" needs a label of text after it'],
    ['broken JSON', '{"newsletter":', 'is not valid JSON'],
  ])('fails synth for %s, naming the key', (_case, topics, problem) => {
    const synth = () => synthRapport({ context: { 'rapport:topics': topics } });
    expect(synth).toThrow(InvalidStackConfigError);
    expect(synth).toThrow(`rapport:topics: ${problem}`);
  });
});
