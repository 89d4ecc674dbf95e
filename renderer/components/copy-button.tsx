// Copy a value and say so. Goes through the desktop bridge when present (clipboard without focus).
import { useState, type ReactElement } from 'react';
import { copyText } from '../api/desktop';
import { Button } from './button';

export function CopyButton({
  value,
  label,
  testId,
  title,
}: {
  value: string | (() => string | Promise<string>);
  label?: string;
  testId?: string;
  title?: string;
}): ReactElement {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await copyText(typeof value === 'function' ? await value() : value);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  };
  const text = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label;
  return (
    <Button
      small
      variant="ghost"
      icon={state === 'copied' ? 'check' : 'copy'}
      onClick={() => void copy()}
      data-testid={testId}
      title={title ?? 'Copy to clipboard'}
      aria-label={label ? undefined : (title ?? 'Copy to clipboard')}
    >
      {text}
    </Button>
  );
}
