import { z } from 'zod';
import { EmailTemplate } from './email-template.js';

/**
 * An email template's HTML, compiled from its MJML when it is published
 * (lib/templates/compile-email.ts). The template's Liquid is carried through untouched,
 * so sending a message renders Liquid alone and never runs MJML.
 */
export const CompiledEmail = z.object({
  /**
   * The whole document around the body: the layout's header and footer, with the Liquid
   * that varies per message (subject, preheader, the footer's links) and `{{ body | raw }}`
   * where the body goes.
   */
  layout: z.string().min(1),
  /** The template's body as HTML with its Liquid, rendered with what the template sees and placed in the layout. */
  body: z.string(),
});
export type CompiledEmail = z.infer<typeof CompiledEmail>;

/** The latest published version of a template, as deliver reads it. */
export const SendableTemplate = EmailTemplate.extend({
  version: z.number().int().min(1),
  /** Absent on a version stored before templates were compiled, until it is compiled. */
  compiled: CompiledEmail.optional(),
});
export type SendableTemplate = z.infer<typeof SendableTemplate>;

/** A template with the HTML it compiles to: all that sending it needs. */
export type CompiledTemplate = EmailTemplate & { compiled: CompiledEmail };
