import { useContext, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { finishCognitoSignIn } from '../cognito-sign-in.js';
import { ConsoleConfigContext } from '../console-config.js';

/** Where Cognito's managed login sends the marketer back with a code. */
export const SignInCallbackPage = () => {
  const config = useContext(ConsoleConfigContext);
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | undefined>();
  // The code can be exchanged once: an effect run twice (React's strict mode) must not try again.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (config.signIn.kind !== 'cognito') {
      setProblem('This console signs in with a token.');
      return;
    }
    finishCognitoSignIn(config.signIn, search).then(
      (from) => navigate(from, { replace: true }),
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [config, search, navigate]);
  return (
    <main id="main" className="login">
      <h1>Signing in</h1>
      {problem === undefined ? (
        <p aria-live="polite">One moment…</p>
      ) : (
        <>
          <p role="alert" className="problem">
            {problem}
          </p>
          <Link to="/login">Back to the sign-in</Link>
        </>
      )}
    </main>
  );
};
