import { describe, expect, it } from 'vitest';
import { schemaSuggestions } from '../../../console/src/yaml-schema-suggestions.js';
import { jsonSchemas } from '../../../lib/content/json-schemas.js';

const journeySchema = jsonSchemas()['journey.schema.json'];

/** The suggestions where `|` stands in the text. */
const at = (textWithCursor: string) => {
  const offset = textWithCursor.indexOf('|');
  return schemaSuggestions(journeySchema, textWithCursor.replace('|', ''), offset);
};

const labels = (textWithCursor: string) => at(textWithCursor)?.options.map((option) => option.label) ?? [];

const journey = (nodesPart: string) =>
  [
    'id: welcome',
    'name: Welcome',
    'trigger:',
    '  event: signup_confirmed',
    'start: send',
    'nodes:',
    nodesPart,
  ].join('\n');

describe('completing a journey draft from its JSON Schema', () => {
  describe('when the cursor starts a key at the top of the document', () => {
    it('offers the journey keys not yet written, each with its colon', () => {
      const found = at(journey('  - id: send\n    type: exit\nho|'));
      expect(found?.position).toBe('key');
      const names = found?.options.map((option) => option.label);
      expect(names).toContain('holdout');
      expect(names).toContain('goal');
      expect(names).not.toContain('name');
      expect(names).not.toContain('nodes');
      expect(found?.options.find((option) => option.label === 'holdout')?.apply).toBe('holdout: ');
    });

    it('replaces the word typed so far', () => {
      const text = 'id: welcome\nhol';
      expect(schemaSuggestions(journeySchema, text, text.length)?.from).toBe(text.length - 3);
    });
  });

  describe('when the node already says its type', () => {
    it("offers that type's fields and not another type's", () => {
      const names = labels(journey('  - id: pause\n    type: wait\n    |'));
      expect(names).toContain('duration');
      expect(names).toContain('until');
      expect(names).not.toContain('template');
      expect(names).not.toContain('type');
      expect(names).not.toContain('id');
    });

    it("offers a send_email node's template", () => {
      expect(labels(journey('  - id: send\n    type: send_email\n    te|'))).toContain('template');
    });
  });

  describe('when a new list item starts under nodes', () => {
    it('offers the keys every kind of node may have', () => {
      const names = labels(journey('  - id: send\n    type: exit\n  - |'));
      expect(names).toEqual(expect.arrayContaining(['id', 'type', 'next', 'duration', 'template']));
    });
  });

  describe('when the cursor is at a value', () => {
    it("offers a node's types, whatever the other fields say", () => {
      const found = at(journey('  - id: send\n    template: welcome\n    type: |'));
      expect(found?.position).toBe('value');
      expect(found?.options.map((option) => option.label)).toEqual(
        expect.arrayContaining([
          'wait',
          'wait_for_event',
          'branch',
          'split',
          'send_email',
          'send_sms',
          'exit',
        ]),
      );
    });

    it("offers the trigger's events", () => {
      const names = labels('id: welcome\ntrigger:\n  event: sig|\nstart: a');
      expect(names).toContain('signup_confirmed');
      expect(names).toContain('order_completed');
    });

    it('offers true and false for a yes-or-no setting', () => {
      expect(labels('id: welcome\nentry:\n  concurrent: |')).toEqual(['true', 'false']);
    });
  });

  describe('when the schema has nothing to offer', () => {
    it('suggests nothing inside free text', () => {
      expect(at('id: welcome\nname: Wel|')).toBeUndefined();
    });

    it('suggests nothing in the middle of a line that is neither a key nor a value', () => {
      expect(at('id: welcome\nname: "a b|')).toBeUndefined();
    });

    it('suggests nothing for a schema that is not an object', () => {
      expect(schemaSuggestions(undefined, 'id: x', 2)).toBeUndefined();
    });
  });
});
