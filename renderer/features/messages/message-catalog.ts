// What each documented WOPI PostMessage means (Office for the web's postmessage scenario), so a row can
// say why it matters, and a misspelt or invented id (there is no "App_LoaderInit") stands out.
import type { HostPageMessage } from '../../../server/contracts';

const MEANINGS: Readonly<Record<string, string>> = {
  App_LoadingStatus: 'The client finished loading and now listens for host messages.',
  App_IsFrameTrusted: 'The client asks whether the host page is the top frame.',
  App_PushState: 'OneNote navigation state the host may keep in its URL.',
  Edit_Notification: 'The user edited the document (first edit, then every 5 minutes while editing).',
  File_Rename: 'The user renamed the file in the client (Values.NewName).',
  UI_Close: 'The user closed the editor: the host navigates to its CloseUrl.',
  UI_Edit: 'The user asked to edit: the host switches to the edit action.',
  UI_FileEmbed: 'The user asked to embed the file: the host shows its embed UI.',
  UI_FileVersions: 'The user asked for version history: the host shows it.',
  UI_Sharing: 'The user asked to share: the host shows its sharing UI.',
  UI_Workflow: 'The user started a workflow (Values.WorkflowType).',
  Host_PostmessageReady: 'The host page listens: the client enables UI that needs the host (e.g. Share).',
  Host_IsFrameTrusted: 'The host answers App_IsFrameTrusted.',
  Host_PerfTiming: 'Host-side timings for the client’s telemetry.',
  Blur_Focus: 'Host UI is drawn over the editor: the client lets go of focus.',
  Grab_Focus: 'Host UI closed: the client takes focus back.',
  CanEmbed: 'The host tells the client it can embed (Values.HostEmbeddedViewUrl).',
  App_PopState: 'The host hands OneNote navigation state back.',
};

/** The documented meaning, or undefined for an id Microsoft's documentation does not list. */
export function messageMeaning(messageId: string): string | undefined {
  return Object.hasOwn(MEANINGS, messageId) ? MEANINGS[messageId] : undefined;
}

export function directionLabel(direction: HostPageMessage['direction']): string {
  return direction === 'from-client' ? 'client → host' : 'host → client';
}

/** One line of values for the table: the keys the client always adds say nothing, so they go last. */
const NOISE = new Set(['ui-language', 'wdUserSession']);

export function valuesPreview(values: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(values);
  const ordered = [...keys.filter((k) => !NOISE.has(k)), ...keys.filter((k) => NOISE.has(k))];
  if (ordered.length === 0) return '{}';
  const parts = ordered.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(values[k]) ?? 'undefined'}`);
  const line = `{ ${parts.join(', ')} }`;
  return line.length > 400 ? `${line.slice(0, 399)}…` : line;
}

/** Session ids are long random strings; their tail is enough to tell sessions apart in a column. */
export function shortSession(sessionId: string): string {
  return sessionId.length > 8 ? `…${sessionId.slice(-6)}` : sessionId;
}
