import { linkTo } from './mailbox.js';
import type { startStack } from './stack.js';

type StackEnv = Awaited<ReturnType<typeof startStack>>;

/** Follows the link in the confirmation email, as a person would, and lets the runtime settle. */
export const confirmByEmail = async (env: StackEnv, email: string): Promise<void> => {
  const [confirmation] = await env.mail.to(email);
  if (confirmation === undefined) throw new Error(`no confirmation for ${email}`);
  const token = new URL(linkTo(confirmation, '/v1/confirm')).searchParams.get('token') ?? '';
  await env.http.postForm('/v1/confirm', [['token', token]]);
  await env.stack.idle();
};

/** Signs up with email consent through the public API and confirms through the emailed link. */
export const signUpAndConfirm = async (env: StackEnv, email: string, topics: string[]): Promise<void> => {
  await env.http.postJson('/v1/signup', { email, consent: true, topics });
  await env.stack.idle();
  await confirmByEmail(env, email);
};
