import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { yaml, yamlLanguage } from '@codemirror/lang-yaml';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { schemaSuggestions } from './yaml-schema-suggestions.js';

/** Completion from the journey's JSON Schema: keys as a line starts, allowed values after a colon. */
const completeFrom =
  (schema: unknown) =>
  (context: CompletionContext): CompletionResult | null => {
    const found = schemaSuggestions(schema, context.state.doc.toString(), context.pos);
    if (found === undefined || (found.from === context.pos && !context.explicit)) return null;
    return {
      from: found.from,
      options: found.options.map((option) => ({
        ...option,
        type: found.position === 'key' ? 'property' : 'enum',
      })),
      validFor: /^[\w$.-]*$/,
    };
  };

/**
 * The draft's YAML in CodeMirror 6. `check` is the debounced linter: it gets
 * the text once typing pauses, and its diagnostics are marked at their lines.
 * `schema` (a JSON Schema) drives completion (Ctrl+Space, or as a word is typed).
 */
export const JourneyEditor = ({
  initial,
  onChange,
  check,
  label,
  schema,
}: {
  schema: unknown;
  initial: string;
  onChange: (text: string) => void;
  check: (text: string) => Promise<readonly Diagnostic[]>;
  label: string;
}) => {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef({ onChange, check });
  latest.current = { onChange, check };
  useEffect(() => {
    if (host.current === null) return;
    // Inside a shadow root CodeMirror styles itself with constructed style sheets,
    // which the console's CSP (style-src 'self', no inline <style>) lets through.
    const shadow = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open' });
    const view = new EditorView({
      doc: initial,
      root: shadow,
      parent: shadow,
      extensions: [
        basicSetup,
        yaml(),
        yamlLanguage.data.of({ autocomplete: completeFrom(schema) }),
        lintGutter(),
        linter((editor) => latest.current.check(editor.state.doc.toString()), { delay: 600 }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latest.current.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        // Long lines wrap rather than scroll sideways: a phone shows the whole line, and the
        // editor keeps no scroll region that a keyboard could not reach.
        EditorView.lineWrapping,
        // One monospaced font for the line numbers and the text.
        EditorView.theme({
          '.cm-scroller': { fontFamily: 'ui-monospace, monospace', fontSize: '13px', lineHeight: '1.5' },
        }),
      ],
    });
    return () => view.destroy();
  }, [initial, label, schema]);
  return <div className="journey-editor" ref={host} />;
};
