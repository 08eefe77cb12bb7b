import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { focusRing, secondaryButton } from './styles';

export interface MenuAction {
  label: string;
  run: () => void;
  /** Drawn in red: an action that takes something away (deactivating). */
  danger?: boolean;
}

interface MenuButtonProps {
  label: string;
  actions: readonly MenuAction[];
}

/**
 * A button that opens a menu of actions (the WAI-ARIA menu button pattern): Enter, Space or
 * ArrowDown open it on the first item, ArrowUp on the last; arrows, Home and End move between
 * items; Enter or Space runs one; Escape closes it and gives focus back to the button; Tab or a
 * click elsewhere closes it.
 */
export function MenuButton({ label, actions }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (open) items.current[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const openAt = (index: number) => {
    setActive(index);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const last = actions.length - 1;

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openAt(event.key === 'ArrowDown' ? 0 : last);
    }
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: active === last ? 0 : active + 1,
      ArrowUp: active === 0 ? last : active - 1,
      Home: 0,
      End: last,
    };
    if (event.key in moves) {
      event.preventDefault();
      setActive(moves[event.key]!);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div ref={box} className="relative inline-block">
      <button
        ref={button}
        type="button"
        id={`${id}-button`}
        className={secondaryButton}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onClick={() => (open ? setOpen(false) : openAt(0))}
        onKeyDown={onButtonKey}
      >
        {label}
        <span aria-hidden="true" className="ml-2 text-sm">
          ▾
        </span>
      </button>
      <div
        id={`${id}-menu`}
        role="menu"
        aria-labelledby={`${id}-button`}
        hidden={!open}
        tabIndex={-1}
        onKeyDown={onMenuKey}
        className="absolute right-0 z-20 mt-1 min-w-48 rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-300"
      >
        {actions.map((action, index) => (
          <button
            key={action.label}
            ref={(element) => {
              items.current[index] = element;
            }}
            type="button"
            role="menuitem"
            tabIndex={index === active ? 0 : -1}
            className={`block w-full px-4 py-2 text-left text-base hover:bg-slate-100 focus:bg-slate-100 ${focusRing} ${
              action.danger ? 'text-red-800' : 'text-slate-800'
            }`}
            onClick={() => {
              setOpen(false);
              // Back on the button, unless the action takes focus somewhere (a question it asks).
              button.current?.focus();
              action.run();
            }}
          >
            {action.label}
          </button>
        ))}
      </div>
    </div>
  );
}
