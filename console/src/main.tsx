import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ConsoleConfigContext, consoleConfig } from './console-config.js';
import { consoleRouter } from './console-router.js';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    // A refused token is not worth asking again; anything else may be a moment's trouble.
    queries: {
      retry: (failures, error) => failures < 2 && !(error instanceof Error && error.name === 'AdminApiError'),
    },
  },
});

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
consoleConfig().then(
  (config) =>
    createRoot(root).render(
      <StrictMode>
        <ConsoleConfigContext value={config}>
          <QueryClientProvider client={queries}>
            <RouterProvider router={consoleRouter} />
          </QueryClientProvider>
        </ConsoleConfigContext>
      </StrictMode>,
    ),
  (error: unknown) => {
    root.textContent = `The console could not read its settings (config.json): ${error instanceof Error ? error.message : String(error)}`;
  },
);
