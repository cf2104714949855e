import { describe, expect, it } from 'vitest';
import { authorizeUrl, challengeOf, newVerifier, tokenRequestBody } from '../../../console/src/pkce.js';

describe('when the console signs in with Cognito (authorization code with PKCE)', () => {
  it('makes the S256 challenge of RFC 7636’s example verifier', async () => {
    // RFC 7636, appendix B.
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes a fresh verifier of 43 base64url characters each time', () => {
    const verifiers = Array.from({ length: 20 }, newVerifier);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(verifiers).size).toBe(20);
  });

  it('asks the managed login for a code with the challenge, the state and the console’s callback', () => {
    const url = new URL(
      authorizeUrl({
        loginUrl: 'https://rapport-demo.auth.eu-west-1.amazoncognito.com',
        clientId: 'client-1',
        redirectUri: 'https://console.example.com/console/auth/callback',
        challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        state: 'state-1',
      }),
    );
    expect(url.origin + url.pathname).toBe(
      'https://rapport-demo.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'https://console.example.com/console/auth/callback',
      scope: 'openid email',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'state-1',
    });
  });

  it('exchanges the code with the verifier, and no client secret', () => {
    const body = tokenRequestBody({
      clientId: 'client-1',
      redirectUri: 'https://console.example.com/console/auth/callback',
      code: 'the-code',
      verifier: 'the-verifier',
    });
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client-1',
      redirect_uri: 'https://console.example.com/console/auth/callback',
      code: 'the-code',
      code_verifier: 'the-verifier',
    });
  });
});
