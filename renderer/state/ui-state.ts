// Navigation and cross-view selection. The current view lives in the URL fragment (#view=locks)
// so a reload or a shared link lands in the same place.
import { Store } from './store';

export const VIEWS = [
  'requests',
  'findings',
  'messages',
  'files',
  'locks',
  'discovery',
  'tunnel',
  'conformance',
  'faults',
  'simulator',
  'scenarios',
] as const;
export type ViewId = (typeof VIEWS)[number];

export type ThemeChoice = 'system' | 'light' | 'dark';

/** The conformance run shown, and the case opened in it (from a run list, or a request's check tag). */
export interface CheckSelection {
  runId: string;
  caseId?: string;
}

export interface UiState {
  view: ViewId;
  selectedRequestId: string | null;
  selectedFileId: string | null;
  /** Null: the Conformance view shows the newest run. */
  selectedCheck: CheckSelection | null;
  /** Null: the Scenarios view shows the newest scenario run. */
  selectedScenarioRun: CheckSelection | null;
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
    super({
      view: viewFromHash(),
      selectedRequestId: null,
      selectedFileId: null,
      selectedCheck: null,
      selectedScenarioRun: null,
      theme: storedTheme(),
    });
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

  selectCheck(selection: CheckSelection | null): void {
    this.update({ selectedCheck: selection });
  }

  selectScenarioRun(selection: CheckSelection | null): void {
    this.update({ selectedScenarioRun: selection });
  }

  /**
   * Show a run, with one of its cases open (a request's check tag links here): a scenario run in
   * Scenarios, any other in Conformance.
   */
  openCheck(runId: string, caseId?: string, kind: 'conformance' | 'scenario' = 'conformance'): void {
    const selection = caseId ? { runId, caseId } : { runId };
    if (kind === 'scenario') {
      this.selectScenarioRun(selection);
      this.show('scenarios');
      return;
    }
    this.selectCheck(selection);
    this.show('conformance');
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
