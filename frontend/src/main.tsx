import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createQueryClient } from './app/queryClient';
import { createAppRouter } from './app/router';
import { session } from './auth';
import { initI18n } from './i18n/i18n';
import './index.css';

async function start(): Promise<void> {
  // Strings first (they are inlined in the page, so this is instant), and the session from the
  // refresh cookie, so the first screen is the right one.
  await Promise.all([initI18n(), session.restore()]);
  const queryClient = createQueryClient();
  const router = createAppRouter({ session, queryClient });
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <App router={router} session={session} queryClient={queryClient} />
    </StrictMode>,
  );
}

void start();
