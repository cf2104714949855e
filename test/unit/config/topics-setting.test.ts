import { describe, expect, it } from 'vitest';
import { InvalidEnvironmentError, parseRuntimeEnv } from '../../../lib/config/runtime-env.js';
import { TopicsSetting } from '../../../lib/config/topics-setting.js';

const problemsOf = (value: unknown): string[] => {
  const result = TopicsSetting.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('the topics setting', () => {
  it('reads ids alone as their ids in words, as before labels', () => {
    expect(TopicsSetting.parse('newsletter, product-updates')).toEqual([
      { id: 'newsletter', label: 'Newsletter' },
      { id: 'product-updates', label: 'Product updates' },
    ]);
  });

  it('reads id=label pairs, in the order given, ids alone among them', () => {
    expect(
      TopicsSetting.parse('offers=Offers and deals, newsletter = Our newsletter,recommendations'),
    ).toEqual([
      { id: 'offers', label: 'Offers and deals' },
      { id: 'newsletter', label: 'Our newsletter' },
      { id: 'recommendations', label: 'Recommendations' },
    ]);
  });

  it('reads a JSON object, for labels with commas or =', () => {
    expect(TopicsSetting.parse('{"newsletter":"News, views","offers":"2 = 1 deals"}')).toEqual([
      { id: 'newsletter', label: 'News, views' },
      { id: 'offers', label: '2 = 1 deals' },
    ]);
  });

  it('reads an object, as cdk.json holds it', () => {
    expect(TopicsSetting.parse({ newsletter: 'Our newsletter' })).toEqual([
      { id: 'newsletter', label: 'Our newsletter' },
    ]);
  });

  it.each([
    ['no topic', ' , ', 'must name at least one topic'],
    [
      'an id that is not lowercase',
      'Newsletter',
      'topic "Newsletter" must be lowercase letters, digits and -',
    ],
    ['an id twice', 'news=A,news=B', 'topic "news" is listed twice'],
    ['an empty label', 'news=', 'topic "news" needs a label of text after it'],
    ['a label that is not text', { news: 3 }, 'topic "news" needs a label of text after it'],
    ['a label over two lines', { news: 'Our\nnews' }, 'the label of topic "news" must be one line'],
    ['broken JSON', '{"news":', 'is not valid JSON'],
    ['a list', ['news'], 'must be topics as'],
  ])('refuses %s, saying why', (_case, value, problem) => {
    expect(problemsOf(value).join('; ')).toContain(problem);
  });
});

const required = {
  TABLE_NAME: 'rapport',
  AWS_REGION: 'eu-west-1',
  PUBLIC_BASE_URL: 'https://api.example.com',
  SENDER_EMAIL: 'Shop <news@example.com>',
  POSTAL_ADDRESS: '1 Example Street',
  ALLOWED_ORIGINS: 'https://www.example.com',
};

describe('the functions’ environment', () => {
  it('has the default topics with their labels when TOPICS is unset', () => {
    expect(parseRuntimeEnv(required).TOPICS).toEqual([
      { id: 'newsletter', label: 'Newsletter' },
      { id: 'product-updates', label: 'Product updates' },
      { id: 'recommendations', label: 'Recommendations' },
    ]);
  });

  it('reads TOPICS with labels', () => {
    expect(parseRuntimeEnv({ ...required, TOPICS: 'newsletter=Our newsletter' }).TOPICS).toEqual([
      { id: 'newsletter', label: 'Our newsletter' },
    ]);
  });

  it('refuses bad TOPICS, naming the variable', () => {
    const parse = () => parseRuntimeEnv({ ...required, TOPICS: 'news=' });
    expect(parse).toThrow(InvalidEnvironmentError);
    expect(parse).toThrow(/TOPICS: topic "news" needs a label/);
  });

  it('takes a DEFAULT_TIME_ZONE alias the runtime converts to, and UTC unset', () => {
    expect(parseRuntimeEnv(required).DEFAULT_TIME_ZONE).toBe('UTC');
    expect(parseRuntimeEnv({ ...required, DEFAULT_TIME_ZONE: 'US/Pacific' }).DEFAULT_TIME_ZONE).toBe(
      'US/Pacific',
    );
  });

  it('refuses a DEFAULT_TIME_ZONE that is no zone, naming the variable', () => {
    expect(() => parseRuntimeEnv({ ...required, DEFAULT_TIME_ZONE: 'Mars/Olympus' })).toThrow(
      /DEFAULT_TIME_ZONE: must be an IANA time zone/,
    );
  });
});
