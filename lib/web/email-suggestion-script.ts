import { commonEmailDomains, suggestEmailCorrection } from '../domain/email-typo.js';
import { type InlineScript, inlineScript } from './inline-script.js';

/**
 * Wires the form's email field to `suggest`. It finds its own form, like the time
 * zone line, and writes into the form's `.email-suggestion` element, which is
 * `aria-live` so a screen reader hears the offer. Text goes in as text nodes: the
 * address is the visitor's own typing and must never be read as markup.
 *
 * The offer comes when the form is sent, not when the field is left: text appearing
 * on blur would push the checkboxes below down just as the visitor clicks one. The
 * first submit with a likely typo is held to show it; the next posts the address as
 * typed.
 */
const wiring = `var form = document.currentScript.closest('form');
var field = form.elements.email;
var region = form.querySelector('.email-suggestion');
var heldFor = null;
function offer() {
  var better = suggest(field.value, domains);
  region.replaceChildren();
  if (better === undefined) return false;
  var address = document.createElement('strong');
  address.textContent = better;
  var fix = document.createElement('button');
  fix.type = 'button';
  fix.textContent = 'Use ' + better;
  fix.addEventListener('click', function () {
    field.value = better;
    region.replaceChildren();
    field.focus();
  });
  region.append('Did you mean ', address, '? ', fix);
  return true;
}
field.addEventListener('input', function () { region.replaceChildren(); });
form.addEventListener('submit', function (event) {
  if (heldFor === field.value || !offer()) return;
  heldFor = field.value;
  event.preventDefault();
});`;

/**
 * The example page's offer to fix a mistyped email domain before the form posts:
 * the domain rule itself (`suggestEmailCorrection`, its source text) with the list it
 * checks against, so the page and the tests run one function. Without script the
 * form posts as typed.
 */
export const emailSuggestionScript: InlineScript = inlineScript(
  `(function (suggest, domains) {\n${wiring}\n})(${suggestEmailCorrection.toString()}, ${JSON.stringify(commonEmailDomains)});`,
);
