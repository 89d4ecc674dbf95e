// A select over a fixed list of choices, and the file select every filter bar has ("All files" first).
import type { ReactElement } from 'react';
import type { FileView } from '../../server/contracts';

export interface SelectOption<V extends string> {
  value: V;
  label: string;
}

export function OptionSelect<V extends string>({
  value,
  options,
  onChange,
  label,
  testId,
  className,
}: {
  value: V;
  options: readonly SelectOption<V>[];
  onChange: (value: V) => void;
  /** Accessible name of the select. */
  label: string;
  testId?: string;
  className?: string;
}): ReactElement {
  return (
    <select
      value={value}
      // The options are ours, so the value is always one of V.
      onChange={(event) => onChange(event.target.value as V)}
      data-testid={testId}
      aria-label={label}
      // A narrow select cuts a long choice (a deep path): the tooltip has it whole.
      title={options.find((option) => option.value === value)?.label}
      className={className}
    >
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

/** Filter by file: '' is every file; files are listed by path. */
export function FileFilterSelect({
  value,
  files,
  onChange,
  testId,
}: {
  value: string;
  files: ReadonlyMap<string, FileView>;
  onChange: (fileId: string) => void;
  testId: string;
}): ReactElement {
  const options: SelectOption<string>[] = [{ value: '', label: 'All files' }];
  for (const file of [...files.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    options.push({ value: file.id, label: file.path });
  }
  return (
    <OptionSelect
      value={value}
      options={options}
      onChange={onChange}
      label="Filter by file"
      testId={testId}
      className="select-file"
    />
  );
}
