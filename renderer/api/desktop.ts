// The optional bridge the Electron preload may expose. In a plain browser it is absent, so every
// member is optional and every caller has a browser fallback.

export interface WorkbenchDesktop {
  pickFolder?: () => Promise<string | null | undefined>;
  revealFile?: (path: string) => unknown;
  openExternal?: (url: string) => unknown;
  copyText?: (text: string) => unknown;
  appVersion?: string | (() => string);
}

declare global {
  interface Window {
    workbenchDesktop?: WorkbenchDesktop;
  }
}

function bridge(): WorkbenchDesktop | undefined {
  return typeof window === 'undefined' ? undefined : window.workbenchDesktop;
}

export function canRevealFiles(): boolean {
  return typeof bridge()?.revealFile === 'function';
}

export async function revealFile(path: string): Promise<void> {
  await bridge()?.revealFile?.(path);
}

export async function openExternal(url: string): Promise<void> {
  const open = bridge()?.openExternal;
  if (open) {
    await open(url);
    return;
  }
  window.open(url, '_blank', 'noopener,noreferrer');
}

export async function copyText(text: string): Promise<void> {
  const copy = bridge()?.copyText;
  if (copy) {
    await copy(text);
    return;
  }
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Clipboard API refused (no focus or permission): fall through to the selection trick.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('The clipboard is not available here');
}

export function desktopVersion(): string | undefined {
  const version = bridge()?.appVersion;
  if (typeof version === 'function') return version();
  return version;
}
