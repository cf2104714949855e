import { runInNewContext, Script } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { commonEmailDomains, suggestEmailCorrection } from '../../../lib/domain/email-typo.js';
import { emailSuggestionScript } from '../../../lib/web/email-suggestion-script.js';

const code = /^<script>([\s\S]*)<\/script>$/.exec(emailSuggestionScript.element.value)?.[1] ?? '';

type Listener = (event: { preventDefault(): void }) => void;

/** The few DOM calls the script makes, recorded: enough to drive it as a browser would. */
class FakeElement {
  textContent = '';
  type = '';
  value = '';
  focused = false;
  children: Array<FakeElement | string> = [];
  private readonly listeners = new Map<string, Listener[]>();
  constructor(readonly tag: string) {}
  addEventListener(name: string, listener: Listener) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  /** Fires `name`; true when a listener prevented the default (a held submit). */
  fire(name: string): boolean {
    let prevented = false;
    for (const listener of this.listeners.get(name) ?? [])
      listener({
        preventDefault: () => {
          prevented = true;
        },
      });
    return prevented;
  }
  replaceChildren() {
    this.children = [];
  }
  append(...children: Array<FakeElement | string>) {
    this.children.push(...children);
  }
  focus() {
    this.focused = true;
  }
  /** What a screen reader hears of it. */
  get text(): string {
    return this.children.map((child) => (typeof child === 'string' ? child : child.textContent)).join('');
  }
  get button(): FakeElement | undefined {
    return this.children.find(
      (child): child is FakeElement => typeof child !== 'string' && child.tag === 'button',
    );
  }
}

const aPage = () => {
  const field = new FakeElement('input');
  const region = new FakeElement('div');
  const form = new FakeElement('form');
  const document = {
    currentScript: { closest: (selector: string) => (selector === 'form' ? form : undefined) },
    createElement: (tag: string) => new FakeElement(tag),
  };
  Object.assign(form, {
    elements: { email: field },
    querySelector: (selector: string) => (selector === '.email-suggestion' ? region : undefined),
  });
  // Nothing of this module's scope is in the page: only what a browser gives a script.
  runInNewContext(code, { document });
  return { field, region, form };
};

describe('the example page’s offer to fix a mistyped domain', () => {
  it('is one script that a browser can parse', () => {
    expect(() => new Script(code)).not.toThrow();
    expect(emailSuggestionScript.hash).toMatch(/^'sha256-[A-Za-z0-9+/]+={0,2}'$/);
  });

  it('holds the first submit of a likely typo to offer the fix, with a button that makes it', () => {
    const { field, region, form } = aPage();
    field.value = 'alice@gmial.com';

    expect(form.fire('submit')).toBe(true);
    expect(region.text).toBe('Did you mean alice@gmail.com? Use alice@gmail.com');
    expect(region.button?.type).toBe('button');

    region.button?.fire('click');
    expect(field.value).toBe('alice@gmail.com');
    expect(region.text).toBe('');
    expect(field.focused).toBe(true);
    expect(form.fire('submit')).toBe(false);
  });

  it('posts the address as typed at the second submit', () => {
    const { field, region, form } = aPage();
    field.value = 'alice@hotmial.com';

    expect(form.fire('submit')).toBe(true);
    expect(region.text).toContain('Did you mean alice@hotmail.com?');
    expect(form.fire('submit')).toBe(false);
  });

  it('offers nothing while the visitor fills the form, so nothing below the field moves', () => {
    const { field, region } = aPage();
    field.value = 'alice@gmial.com';
    field.fire('change');
    field.fire('blur');

    expect(region.text).toBe('');
  });

  it('holds nothing and offers nothing for a correct or unknown domain', () => {
    const { field, region, form } = aPage();
    for (const email of ['alice@gmail.com', 'alice@example.com']) {
      field.value = email;
      expect(form.fire('submit')).toBe(false);
      expect(region.text).toBe('');
    }
  });

  it('takes the offer back as soon as the visitor types again, and holds a new typo once more', () => {
    const { field, region, form } = aPage();
    field.value = 'alice@gmial.com';
    form.fire('submit');
    field.value = 'alice@gmial.co';
    field.fire('input');

    expect(region.text).toBe('');
    expect(form.fire('submit')).toBe(true);
  });

  it('puts the visitor’s typing in as text, never as markup', () => {
    const { field, region, form } = aPage();
    field.value = '<img src=x onerror=alert(1)>@gmial.com';
    form.fire('submit');

    expect(region.children.every((child) => typeof child === 'string' || child.tag !== 'img')).toBe(true);
    expect(region.text).toContain('<img src=x onerror=alert(1)>@gmail.com');
  });
});

describe('the domain rule the page runs', () => {
  const samples = [
    'alice@gmial.com',
    'a@yaho.com',
    'a@gmail.co',
    'a@gmailcom',
    'a@gmail.com',
    'a@example.com',
    'x',
  ];

  it('runs on its own source text, with nothing else in scope', () => {
    const alone = runInNewContext(`(${suggestEmailCorrection.toString()})`);
    for (const email of samples)
      expect(alone(email, commonEmailDomains), email).toBe(suggestEmailCorrection(email, commonEmailDomains));
  });

  it('still does, built as the functions are built and as the local runtime loads it (names kept)', async () => {
    const built = await build({
      entryPoints: ['lib/domain/email-typo.ts'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      minify: true,
      keepNames: true,
      logLevel: 'silent',
    });
    const bundled: unknown = await import(
      `data:text/javascript;base64,${Buffer.from(built.outputFiles[0]?.text ?? '').toString('base64')}`
    );
    const source =
      typeof bundled === 'object' && bundled !== null && 'suggestEmailCorrection' in bundled
        ? String(bundled.suggestEmailCorrection)
        : '';
    const alone = runInNewContext(`(${source})`);
    for (const email of samples)
      expect(alone(email, commonEmailDomains), email).toBe(suggestEmailCorrection(email, commonEmailDomains));
  });
});
