import { describe, expect, it } from 'vitest';
import { commonEmailDomains, suggestEmailCorrection } from '../../../lib/domain/email-typo.js';

const suggest = (email: string) => suggestEmailCorrection(email, commonEmailDomains);

describe('when the domain of an address is a likely typo', () => {
  it.each([
    ['alice@gmial.com', 'alice@gmail.com'],
    ['alice@gamil.com', 'alice@gmail.com'],
    ['alice@gmai.com', 'alice@gmail.com'],
    ['alice@hotmial.com', 'alice@hotmail.com'],
    ['alice@yaho.com', 'alice@yahoo.com'],
    ['alice@outlok.com', 'alice@outlook.com'],
    ['alice@gmail.co', 'alice@gmail.com'],
    ['alice@gmail.con', 'alice@gmail.com'],
    ['alice@gmail.cmo', 'alice@gmail.com'],
    ['alice@icloud.co', 'alice@icloud.com'],
    ['alice@gmial.co', 'alice@gmail.com'],
    ['alice@gmailcom', 'alice@gmail.com'],
    ['alice@aol.co', 'alice@aol.com'],
    ['alice@hotmail.co.ul', 'alice@hotmail.co.uk'],
    ['alice@emai.com', 'alice@email.com'],
  ])('suggests %s → %s', (typed, corrected) => {
    expect(suggest(typed)).toBe(corrected);
  });

  it('keeps the local part as typed and reads the domain whatever its case', () => {
    expect(suggest('  Alice.Smith+News@GMIAL.COM ')).toBe('Alice.Smith+News@gmail.com');
  });

  it('takes one edit in a name of four or five letters, two in a longer one, and none in a shorter', () => {
    expect(suggest('alice@gmeel.com')).toBeUndefined();
    expect(suggest('alice@hotmeel.com')).toBe('alice@hotmail.com');
    expect(suggest('alice@hej.com')).toBeUndefined();
  });

  it('suggests nothing three edits away, however they are spread', () => {
    expect(suggest('alice@hotmeel.co')).toBeUndefined();
  });
});

describe('when the domain is no typo of a common one', () => {
  it.each(commonEmailDomains)('suggests nothing for %s itself', (domain) => {
    expect(suggest(`alice@${domain}`)).toBeUndefined();
  });

  it.each([
    ['an unrelated domain', 'alice@example.com'],
    ['a company', 'alice@company.org'],
    ['a short name near a very short one', 'alice@acme.com'],
    ['another country of a provider', 'alice@yahoo.fr'],
    ['another country, two letters off', 'alice@hotmail.de'],
    ['a country near a listed one', 'alice@gmx.at'],
    ['Canada', 'alice@live.ca'],
    ['Japan, beside the UK', 'alice@hotmail.co.jp'],
    ['Swiss Proton', 'alice@protonmail.ch'],
    ['a provider’s other ending', 'alice@gmail.net'],
    ['a three-letter name one letter off', 'alice@aoll.com'],
    ['a number beside other numbers', 'alice@123.com'],
  ])('suggests nothing for %s (%s)', (_case, email) => {
    expect(suggest(email)).toBeUndefined();
  });

  it.each(['', 'alice', 'alice@', '@gmial.com'])(
    'suggests nothing for something not yet an address: %j',
    (email) => {
      expect(suggest(email)).toBeUndefined();
    },
  );
});
