import { z } from 'zod';
import type { ConsoleConfig } from '../../lib/domain/console-config.js';
import { authorizeUrl, challengeOf, newVerifier, tokenRequestBody } from './pkce.js';
import { session } from './session.js';

type CognitoSignIn = Extract<ConsoleConfig['signIn'], { kind: 'cognito' }>;

const pendingKey = 'rapport.pendingSignIn';
const Pending = z.object({ verifier: z.string(), state: z.string(), from: z.string() });
const Tokens = z.object({ id_token: z.string() });

/** Goes to Cognito's managed login; `from` is where to come back to afterwards. */
export const startCognitoSignIn = async (signIn: CognitoSignIn, from: string): Promise<void> => {
  const verifier = newVerifier();
  const state = newVerifier();
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, from }));
  window.location.assign(
    authorizeUrl({
      loginUrl: signIn.loginUrl,
      clientId: signIn.clientId,
      redirectUri: signIn.redirectUri,
      challenge: await challengeOf(verifier),
      state,
    }),
  );
};

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/**
 * Back from the managed login with `?code=&state=`: the state must be this
 * tab's, and the code is exchanged for the ID token the API's authorizer
 * checks. Answers where the marketer was going.
 */
export const finishCognitoSignIn = async (
  signIn: CognitoSignIn,
  search: URLSearchParams,
): Promise<string> => {
  const pending = Pending.safeParse(JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null'));
  sessionStorage.removeItem(pendingKey);
  const code = search.get('code');
  if (!pending.success || code === null || search.get('state') !== pending.data.state)
    throw new SignInError('This sign-in was not started here, or it expired: sign in again.');
  const response = await fetch(new URL('/oauth2/token', signIn.loginUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody({
      clientId: signIn.clientId,
      redirectUri: signIn.redirectUri,
      code,
      verifier: pending.data.verifier,
    }),
  });
  if (!response.ok) throw new SignInError(`The sign-in service answered ${response.status}: sign in again.`);
  session.signIn(Tokens.parse(await response.json()).id_token);
  return pending.data.from;
};
