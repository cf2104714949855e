import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useCaller } from './caller.js';
import { session } from './session.js';

const sections = [
  { to: '/overview', label: 'Overview' },
  { to: '/journeys', label: 'Journeys' },
  { to: '/segments', label: 'Segments' },
  { to: '/campaigns', label: 'Campaigns' },
  { to: '/templates', label: 'Templates' },
  { to: '/contacts', label: 'Contacts' },
  { to: '/deliverability', label: 'Deliverability' },
  { to: '/catalog', label: 'Catalog' },
  { to: '/settings', label: 'Settings' },
] as const;

export const ConsoleLayout = () => {
  const navigate = useNavigate();
  const queries = useQueryClient();
  const caller = useCaller();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="console-header">
        <span className="brand">Rapport</span>
        <nav aria-label="Sections">
          <ul>
            {sections.map((section) => (
              <li key={section.to}>
                <NavLink to={section.to}>{section.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        {caller.data === undefined ? null : <span className="role">Signed in as {caller.data.role}</span>}
        <button
          type="button"
          className="sign-out"
          onClick={() => {
            session.signOut();
            // Nothing read with this sign-in (the role above all) may show under the next one.
            queries.clear();
            navigate('/login');
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
};
