// Navigation and cross-view selection. The current view lives in the URL fragment (#view=locks)
// so a reload or a shared link lands in the same place.
import { Store } from './store';

export const VIEWS = ['requests', 'messages', 'files', 'locks', 'discovery', 'tunnel'] as const;
export type ViewId = (typeof VIEWS)[number];

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface UiState {
  view: ViewId;
  selectedRequestId: string | null;
  selectedFileId: string | null;
  theme: ThemeChoice;
}

const THEME_KEY = 'wopi-workbench.theme';

function viewFromHash(): ViewId {
  const wanted = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('view');
  return (VIEWS as readonly string[]).includes(wanted ?? '') ? (wanted as ViewId) : 'requests';
}

function storedTheme(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export class UiStore extends Store<UiState> {
  constructor() {
    super({ view: viewFromHash(), selectedRequestId: null, selectedFileId: null, theme: storedTheme() });
    window.addEventListener('hashchange', () => {
      const view = viewFromHash();
      if (view !== this.state.view) this.update({ view });
    });
  }

  show(view: ViewId): void {
    if (view !== this.state.view) this.update({ view });
    const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    params.set('view', view);
    window.history.replaceState(window.history.state, '', `#${params.toString()}`);
  }

  selectRequest(id: string | null): void {
    this.update({ selectedRequestId: id });
  }

  selectFile(id: string | null): void {
    this.update({ selectedFileId: id });
  }

  openRequest(id: string): void {
    this.selectRequest(id);
    this.show('requests');
  }

  openFile(id: string): void {
    this.selectFile(id);
    this.show('files');
  }

  setTheme(theme: ThemeChoice): void {
    try {
      if (theme === 'system') window.localStorage.removeItem(THEME_KEY);
      else window.localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Storage disabled: the choice still applies for this page.
    }
    this.update({ theme });
  }
}
