// Entry: start the app (token, first load, live stream) and mount React.
// Base styles first, so each view's own stylesheet (imported by the view) can build on them.
import '../styles/theme.css';
import '../styles/base.css';
import '../styles/shell.css';
import '../styles/controls.css';
import '../styles/components.css';
import '../styles/pages.css';
import '../styles/panes.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppContext } from '../state/app-context';
import { createApp } from '../state/app-controller';
import { App } from './app';

const app = createApp();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
