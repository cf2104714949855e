import { createBrowserRouter, redirect } from 'react-router';
import { ConsoleLayout } from './console-layout.js';
import { LoginPage } from './pages/login-page.js';
import { SignInCallbackPage } from './pages/sign-in-callback-page.js';
import { session } from './session.js';

/** Every page but the login needs a token; without one, the login, and back here after it. */
const signedIn = ({ request }: { request: Request }) => {
  if (session.token() !== undefined) return null;
  const from = new URL(request.url).pathname.replace(/^\/console/, '') || '/';
  return redirect(`/login?from=${encodeURIComponent(from)}`);
};

/** The pages load on demand: the first screen carries only the shell and the login. */
export const consoleRouter = createBrowserRouter(
  [
    { path: '/login', Component: LoginPage },
    { path: '/auth/callback', Component: SignInCallbackPage },
    {
      path: '/',
      Component: ConsoleLayout,
      loader: signedIn,
      children: [
        { index: true, loader: () => redirect('/overview') },
        {
          path: 'overview',
          lazy: async () => ({ Component: (await import('./pages/overview-page.js')).OverviewPage }),
        },
        {
          path: 'deliverability',
          lazy: async () => ({
            Component: (await import('./pages/deliverability-page.js')).DeliverabilityPage,
          }),
        },
        {
          path: 'journeys',
          lazy: async () => ({ Component: (await import('./pages/journeys-page.js')).JourneysPage }),
        },
        {
          path: 'journeys/:id',
          lazy: async () => ({ Component: (await import('./pages/journey-page.js')).JourneyPage }),
        },
        {
          path: 'segments',
          lazy: async () => ({ Component: (await import('./pages/segments-page.js')).SegmentsPage }),
        },
        {
          path: 'segments/new',
          lazy: async () => ({
            Component: (await import('./pages/segment-editor-page.js')).SegmentEditorPage,
          }),
        },
        {
          path: 'segments/:id/edit',
          lazy: async () => ({
            Component: (await import('./pages/segment-editor-page.js')).SegmentEditorPage,
          }),
        },
        {
          path: 'segments/:id',
          lazy: async () => ({ Component: (await import('./pages/segment-page.js')).SegmentPage }),
        },
        {
          path: 'campaigns',
          lazy: async () => ({ Component: (await import('./pages/campaigns-page.js')).CampaignsPage }),
        },
        {
          path: 'campaigns/new',
          lazy: async () => ({
            Component: (await import('./pages/campaign-editor-page.js')).CampaignEditorPage,
          }),
        },
        {
          path: 'campaigns/:id',
          lazy: async () => ({ Component: (await import('./pages/campaign-page.js')).CampaignPage }),
        },
        {
          path: 'contacts',
          lazy: async () => ({ Component: (await import('./pages/contacts-page.js')).ContactsPage }),
        },
        {
          path: 'settings',
          lazy: async () => ({ Component: (await import('./pages/settings-page.js')).SettingsPage }),
        },
        {
          path: 'templates',
          lazy: async () => ({ Component: (await import('./pages/templates-page.js')).TemplatesPage }),
        },
        {
          path: 'templates/:id',
          lazy: async () => ({ Component: (await import('./pages/template-page.js')).TemplatePage }),
        },
        {
          path: 'contacts/:id',
          lazy: async () => ({ Component: (await import('./pages/contact-page.js')).ContactPage }),
        },
        {
          path: 'catalog',
          lazy: async () => ({ Component: (await import('./pages/catalog-page.js')).CatalogPage }),
        },
        {
          path: 'catalog/:sku',
          lazy: async () => ({ Component: (await import('./pages/product-page.js')).ProductPage }),
        },
      ],
    },
  ],
  { basename: '/console' },
);
