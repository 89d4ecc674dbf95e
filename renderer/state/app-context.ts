// The running app, handed to components through context (one instance per page).
import { createContext, useContext } from 'react';
import type { App } from './app-controller';

export const AppContext = createContext<App | null>(null);

export function useApp(): App {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppContext.Provider>');
  return app;
}
