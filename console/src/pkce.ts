/**
 * The authorization code flow with PKCE (RFC 7636) against Cognito's managed
 * login: a one-time verifier kept in the tab, its S256 challenge sent with the
 * sign-in, and the code exchanged for tokens at the same login domain.
 */

const base64Url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** 32 random bytes as base64url: 43 characters, within RFC 7636's 43–128. */
export const newVerifier = (): string => base64Url(globalThis.crypto.getRandomValues(new Uint8Array(32)));

/** BASE64URL(SHA-256(verifier)), the `S256` challenge. */
export const challengeOf = async (verifier: string): Promise<string> =>
  base64Url(
    new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );

export interface AuthorizeRequest {
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  state: string;
}

export const authorizeUrl = (request: AuthorizeRequest): string => {
  const url = new URL('/oauth2/authorize', request.loginUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: 'openid email',
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
    state: request.state,
  }).toString();
  return url.toString();
};

/** The token request's form body: the code, and the verifier only this tab knows. */
export const tokenRequestBody = (request: {
  clientId: string;
  redirectUri: string;
  code: string;
  verifier: string;
}): URLSearchParams =>
  new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    code: request.code,
    code_verifier: request.verifier,
  });
