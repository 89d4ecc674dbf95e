// The one button. Variants carry meaning: primary = the main action of a panel, danger = destroys state,
// danger-solid = the confirming button of a destructive action.
import type { ButtonHTMLAttributes, ReactElement, ReactNode } from 'react';
import { Icon, type IconName } from './icons';

type Variant = 'default' | 'primary' | 'danger' | 'danger-solid' | 'ghost';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  icon?: IconName;
  small?: boolean;
  busy?: boolean;
  children?: ReactNode;
}

export function Button({
  variant = 'default',
  icon,
  small,
  busy,
  children,
  className,
  disabled,
  type = 'button',
  ...rest
}: ButtonProps): ReactElement {
  const classes = ['btn', `btn-${variant}`, small ? 'btn-small' : '', busy ? 'is-busy' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <button type={type} className={classes} disabled={disabled || busy} {...rest}>
      {icon ? <Icon name={icon} size={small ? 13 : 14} /> : null}
      {children ? <span>{children}</span> : null}
    </button>
  );
}
