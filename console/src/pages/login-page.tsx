import { type FormEvent, useContext, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { AdminApiError, Anything, adminApi } from '../admin-api.js';
import { startCognitoSignIn } from '../cognito-sign-in.js';
import { ConsoleConfigContext } from '../console-config.js';
import { session } from '../session.js';

/** Where to go after signing in: a path of the console, never another site. */
const returnPath = (from: string | null): string =>
  from?.startsWith('/') === true && !from.startsWith('//') ? from : '/journeys';

/**
 * Locally, the admin token `npm start` prints, checked against the API before
 * it is kept; in the cloud, Cognito's managed login.
 */
export const LoginPage = () => {
  const config = useContext(ConsoleConfigContext);
  const [search] = useSearchParams();
  return config.signIn.kind === 'cognito' ? (
    <CognitoLogin signIn={config.signIn} from={returnPath(search.get('from'))} />
  ) : (
    <TokenLogin from={returnPath(search.get('from'))} />
  );
};

const CognitoLogin = ({
  signIn,
  from,
}: {
  signIn: Parameters<typeof startCognitoSignIn>[0];
  from: string;
}) => (
  <main id="main" className="login">
    <h1>Sign in to Rapport</h1>
    <p>You sign in on your organisation’s Rapport login page, and come back here.</p>
    <button type="button" onClick={() => void startCognitoSignIn(signIn, from)}>
      Sign in
    </button>
  </main>
);

const TokenLogin = ({ from }: { from: string }) => {
  const navigate = useNavigate();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [checking, setChecking] = useState(false);

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setProblem(undefined);
    try {
      await adminApi(Anything, 'GET', '/admin/journeys', undefined, token.trim());
      session.signIn(token.trim());
      navigate(from);
    } catch (error) {
      setProblem(
        error instanceof AdminApiError && (error.status === 401 || error.status === 403)
          ? 'That token was refused. Use the admin token npm start printed.'
          : `The API could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setChecking(false);
    }
  };

  return (
    <main id="main" className="login">
      <h1>Sign in to Rapport</h1>
      <form onSubmit={signIn}>
        <label htmlFor="token">Admin token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          required
          minLength={16}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-describedby={problem === undefined ? undefined : 'token-problem'}
          aria-invalid={problem !== undefined}
        />
        {problem === undefined ? null : (
          <p id="token-problem" role="alert" className="problem">
            {problem}
          </p>
        )}
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
};
