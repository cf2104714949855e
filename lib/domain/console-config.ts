import { z } from 'zod';

/**
 * What the console reads at start (`/console/config.json`), written by the
 * runtime that serves it: where the admin API is on the same origin, and how
 * marketers sign in there. One build serves every deployment.
 */
export const ConsoleConfig = z.object({
  /** The admin API's path on the console's own origin: '' locally, '/api' behind CloudFront. */
  apiBase: z.string(),
  signIn: z.discriminatedUnion('kind', [
    /** Locally: the admin token `npm start` prints. */
    z.object({ kind: z.literal('token') }),
    /** In the cloud: Cognito's managed login, authorization code flow with PKCE; the ID token goes to the API. */
    z.object({
      kind: z.literal('cognito'),
      region: z.string(),
      userPoolId: z.string(),
      clientId: z.string(),
      /** `https://<prefix>.auth.<region>.amazoncognito.com`: the authorize, token and logout endpoints. */
      loginUrl: z.string(),
      redirectUri: z.string(),
      signedOutUri: z.string(),
    }),
  ]),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;
