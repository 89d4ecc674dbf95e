// Light/dark: follows prefers-color-scheme unless the person picked one; applied as <html data-theme>.
import { useEffect, useSyncExternalStore } from 'react';
import type { ThemeChoice } from '../state/ui-state';

const query = '(prefers-color-scheme: dark)';

function subscribe(listener: () => void): () => void {
  const media = window.matchMedia(query);
  media.addEventListener('change', listener);
  return () => media.removeEventListener('change', listener);
}

export function useResolvedTheme(choice: ThemeChoice): 'light' | 'dark' {
  const systemDark = useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
  const resolved = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  useEffect(() => {
    document.documentElement.dataset['theme'] = resolved;
    document.documentElement.style.colorScheme = resolved;
  }, [resolved]);
  return resolved;
}
