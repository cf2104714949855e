/**
 * The frame every email is rendered into. Templates supply only the content of
 * the single column (mj-text, mj-button, mj-image, mj-divider, …); the header and
 * the footer live here, so no template can drop the unsubscribe link or the
 * postal address that marketing law requires.
 *
 * Liquid with HTML escaping on: `body` and `preheader` are already rendered
 * (and escaped) by the time they get here, so they go in `| raw`.
 *
 * System fonts only: a web font would make every open fetch from a third party.
 */
export const emailLayout = `<mjml lang="en">
  <mj-head>
    <mj-title>{{ subject }}</mj-title>
    {%- if preheader != blank %}
    <mj-preview>{{ preheader | raw }}</mj-preview>
    {%- endif %}
    <mj-attributes>
      <mj-all font-family="-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="1.6" color="#1f2933" padding="8px 28px" />
      <mj-button background-color="#2456d3" color="#ffffff" font-size="17px" font-weight="600" border-radius="6px" inner-padding="14px 28px" padding="20px 28px" />
      <mj-divider border-color="#e4e7eb" border-width="1px" padding="16px 28px" />
      <mj-image padding="8px 28px" />
    </mj-attributes>
    <mj-style>
      a { color: #2456d3; }
      .footer a { color: #3e4c59; }
      .footer p { margin: 8px 0; }
    </mj-style>
  </mj-head>
  <mj-body background-color="#f3f4f6" width="600px">
    <mj-section padding="24px 16px 12px">
      <mj-column>
        <mj-text align="center" font-size="18px" font-weight="700" color="#111827">{{ sender.name }}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" border-radius="8px" padding="20px 0">
      <mj-column>
{{ body | raw }}
      </mj-column>
    </mj-section>
    <mj-section padding="16px 16px 32px">
      <mj-column>
        <mj-text css-class="footer" align="center" font-size="13px" line-height="1.5" color="#52606d">
          {%- if marketing %}
          <p>You are receiving this because {{ contact.email }} subscribed to email from {{ sender.name }}.</p>
          <p><a href="{{ links.unsubscribe }}">Unsubscribe</a> &middot; <a href="{{ links.preferences }}">Manage preferences</a></p>
          {%- else %}
          <p>You received this service message because of a request made with {{ contact.email }} at {{ sender.name }}. It is not marketing email.</p>
          {%- endif %}
          <p>{{ postalAddress | escape | newline_to_br | raw }}</p>
        </mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

/** Appended to every text version; plain Liquid, no HTML escaping. */
export const textFooter = `
-- 
{% if marketing -%}
You are receiving this because {{ contact.email }} subscribed to email from {{ sender.name }}.
Unsubscribe: {{ links.unsubscribe }}
Manage preferences: {{ links.preferences }}
{%- else -%}
You received this service message because of a request made with {{ contact.email }} at {{ sender.name }}. It is not marketing email.
{%- endif %}
{{ postalAddress }}
`;
