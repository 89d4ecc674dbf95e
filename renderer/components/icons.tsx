// A handful of 16px stroke icons drawn inline, so the UI needs no icon package or network.
import type { ReactElement } from 'react';

const PATHS = {
  requests: 'M2 4h12M2 8h12M2 12h8',
  messages: 'M2 5.5h11M10.5 3 13 5.5 10.5 8M14 10.5H3M5.5 8 3 10.5 5.5 13',
  files: 'M3 2.5h6l4 4v7H3zM9 2.5v4h4',
  locks: 'M4.5 7V5a3.5 3.5 0 0 1 7 0v2M3.5 7h9v6.5h-9z',
  discovery: 'M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8zM10.6 5.4 9.2 9.2 5.4 10.6 6.8 6.8z',
  tunnel: 'M1.5 13.5V8a6.5 6.5 0 0 1 13 0v5.5M4.5 13.5V8a3.5 3.5 0 0 1 7 0v5.5',
  sun: 'M8 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1',
  moon: 'M13.5 9.5A5.5 5.5 0 1 1 6.5 2.5a4.5 4.5 0 0 0 7 7z',
  system: 'M2 3h12v8H2zM6 14h4M8 11v3',
  pause: 'M5.5 3v10M10.5 3v10',
  play: 'M5 3l8 5-8 5z',
  trash: 'M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4',
  copy: 'M5.5 5.5h8v8h-8zM3 10.5H2.5v-8h8V3',
  external: 'M9 2.5h4.5V7M13.5 2.5 7 9M11.5 9.5v4h-9v-9h4',
  refresh: 'M13.5 3v3.5H10M2.5 13v-3.5H6M3.3 6.5a5 5 0 0 1 9-1M12.7 9.5a5 5 0 0 1-9 1',
  folder: 'M1.5 3.5h5l1.5 1.5h6.5v8h-13z',
  file: 'M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3',
  chevronRight: 'M6 3.5 10.5 8 6 12.5',
  chevronDown: 'M3.5 6 8 10.5 12.5 6',
  close: 'M3.5 3.5l9 9M12.5 3.5l-9 9',
  search: 'M7 2.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9zM10.3 10.3l3.5 3.5',
  history: 'M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v2.8h2.8M8 5v3.2l2.2 1.4',
  key: 'M10.5 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM7.6 8.4 1.5 14.5M3.5 12.5l1.8 1.8M5 11l1.5 1.5',
  check: 'M3 8.5l3 3 7-7',
  warn: 'M8 1.8 15 14H1zM8 6v4M8 11.8v.4',
  arrowDown: 'M8 2.5v11M3.5 9 8 13.5 12.5 9',
  unlock: 'M4.5 7V5a3.5 3.5 0 0 1 6.8-1.2M3.5 7h9v6.5h-9z',
  clock: 'M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8zM8 4.5V8l2.5 1.5',
  info: 'M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8zM8 7.2v4.3M8 4.6v.3',
  flag: 'M3.5 14.5V1.8M3.5 2.5h8.7l-2.2 3 2.2 3H3.5',
  conformance: 'M2.3 4.6l1.6 1.6 2.7-3M2.3 10.6l1.6 1.6 2.7-3M8.8 5h5M8.8 11h5',
  bolt: 'M9 1.5 3.5 9H8l-1 5.5L12.5 7H8z',
  persona: 'M8 2a2.8 2.8 0 1 0 0 5.6A2.8 2.8 0 0 0 8 2zM2.8 14a5.2 5.2 0 0 1 10.4 0',
  script: 'M4 1.5h8v13H4zM6 4.5h4M6 7h4M6 9.5h2.5',
  plus: 'M8 3v10M3 8h10',
  download: 'M8 2v8.5M4.5 7 8 10.5 11.5 7M2.5 13.5h11',
  upload: 'M8 10.5V2M4.5 5.5 8 2l3.5 3.5M2.5 13.5h11',
  save: 'M2.5 2.5h9l2 2v9h-11zM5 2.5v3.5h5V2.5M5 13.5V9.5h6v4',
  event: 'M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8zM8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z',
  disk: 'M2 4.5h12v7H2zM4.5 9h.5M7 9h4.5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({
  name,
  size = 16,
  title,
}: {
  name: IconName;
  size?: number;
  title?: string;
}): ReactElement {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title ? <title>{title}</title> : null}
      <path d={PATHS[name]} />
    </svg>
  );
}
