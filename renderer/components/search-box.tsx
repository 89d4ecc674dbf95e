// The search field every list uses: a magnifier and a search input in one focus ring.
import type { ReactElement, Ref } from 'react';
import { Icon } from './icons';

export function SearchBox({
  value,
  onChange,
  placeholder,
  label,
  testId,
  title,
  inputRef,
  className,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  /** Accessible name of the input. */
  label: string;
  testId?: string;
  title?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** Extra classes on the box (its place in a layout). */
  className?: string;
}): ReactElement {
  return (
    <label className={className ? `search-box ${className}` : 'search-box'}>
      <Icon name="search" size={13} />
      <input
        type="search"
        ref={inputRef}
        placeholder={placeholder}
        title={title}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
        aria-label={label}
      />
    </label>
  );
}
