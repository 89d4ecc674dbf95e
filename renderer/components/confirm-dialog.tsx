// Asks before an action that cannot be undone, saying exactly what it deletes. A native modal <dialog>:
// focus is trapped, Escape cancels, and the safe choice (Cancel) has the focus.
import { useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import { Button } from './button';
import { Icon } from './icons';

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
  testId,
}: {
  title: string;
  /** What the action does and does not touch. */
  children: ReactNode;
  /** Names the action and its object ("Delete 1,204 requests"), never a bare "OK". */
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
}): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className="confirm"
      data-testid={testId}
      aria-labelledby={`${testId}-title`}
      // Escape is a cancel. The parent closes the dialog by unmounting it, so the browser's own close is
      // prevented, and the close() on unmount (twice in StrictMode) is not mistaken for one.
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <div className="confirm-head">
        <span className="confirm-icon">
          <Icon name="warn" />
        </span>
        <h2 id={`${testId}-title`}>{title}</h2>
      </div>
      <div className="confirm-body">{children}</div>
      <div className="confirm-actions">
        <Button autoFocus onClick={onCancel} data-testid={`${testId}-cancel`}>
          Cancel
        </Button>
        <Button variant="danger-solid" busy={busy} onClick={onConfirm} data-testid={`${testId}-confirm`}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
