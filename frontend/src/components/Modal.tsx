import { type ReactNode, useEffect, useId, useRef } from 'react';
import { focusRing } from './styles';

interface ModalProps {
  title: string;
  /** Omitted for a dialog that cannot be dismissed (no ×, Escape does nothing). */
  onClose?: (() => void) | undefined;
  closeLabel?: string;
  children: ReactNode;
}

const FOCUSABLE = 'input, select, textarea, button, a[href], [tabindex]:not([tabindex="-1"])';

/** The dialogs open now, innermost last: only that one answers Escape and Tab. */
const openDialogs: HTMLElement[] = [];
const isTopmost = (dialog: HTMLElement) => openDialogs.at(-1) === dialog;

function tabbable(dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (item) => !item.hasAttribute('disabled') && !item.closest('[hidden], [inert]'),
  );
}

/**
 * Tab from the last control goes to the first, Shift+Tab from the first to the last, and a Tab
 * pressed while focus is outside (on <body>, once the focused control was removed) comes back in.
 */
function keepFocusInside(dialog: HTMLElement, event: KeyboardEvent) {
  const items = tabbable(dialog);
  const [first, last] = [items[0], items.at(-1)];
  if (!first || !last) return;
  const active = document.activeElement;
  const outside = !active || !dialog.contains(active) || active === dialog;
  if (event.shiftKey && (outside || active === first)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (outside || active === last)) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * A modal dialog over the page: a native <dialog> opened with showModal(), so the browser makes
 * the page behind inert (no Tab, click or screen-reader walk into it). Focus moves into it and
 * back to where it was; Escape closes it wherever focus is (listened to on the document: after a
 * control is removed focus sits on <body>, outside the dialog); Tab wraps inside; and when the
 * focused control disappears (a picked result, a button disabled while saving) focus goes to the
 * dialog itself, never to <body>, and back to that button once it is enabled again. A click outside does not close it, so a stray click loses nothing.
 */
export function Modal({ title, onClose, closeLabel, children }: ModalProps) {
  const titleId = useId();
  const box = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = box.current;
    if (!dialog) return;
    const previous = document.activeElement as HTMLElement | null;
    // jsdom has no showModal(): there the attribute shows it and the listeners below do the rest.
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', '');
    }
    // A dialog opened inside another one mounts first (React runs a child's effects before its
    // parent's): the outer one then goes below it in the stack and leaves the focus alone.
    const inner = openDialogs.findIndex((other) => dialog.contains(other));
    if (inner >= 0) openDialogs.splice(inner, 0, dialog);
    else openDialogs.push(dialog);

    const onKeyDown = (event: KeyboardEvent) => {
      if (!isTopmost(dialog) || event.defaultPrevented) return;
      if (event.key === 'Escape') {
        // Handled here, not by the browser's own close: React decides when the dialog goes.
        event.preventDefault();
        closeRef.current?.();
      } else if (event.key === 'Tab') {
        keepFocusInside(dialog, event);
      }
    };
    // Escape on a modal <dialog> may also arrive as `cancel` (e.g. Android's back gesture).
    const onCancel = (event: Event) => {
      event.preventDefault();
      if (isTopmost(dialog)) closeRef.current?.();
    };
    // The control last focused inside: a button disabled while saving gets focus back when the
    // save fails and it is enabled again (on success the dialog usually closes).
    let lastFocused: HTMLElement | null = null;
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && event.target !== dialog) lastFocused = event.target;
    };
    const rescueFocus = () => {
      if (!isTopmost(dialog) || !dialog.isConnected) return;
      const active = document.activeElement;
      // A disabled control keeps focus in some browsers, but no key does anything there.
      if (!active || !dialog.contains(active) || active.matches(':disabled')) {
        dialog.focus();
      } else if (active === dialog && lastFocused?.isConnected && dialog.contains(lastFocused)) {
        if (!lastFocused.matches(':disabled') && !lastFocused.closest('[hidden]')) lastFocused.focus();
      }
    };
    let pending = 0;
    const onFocusOut = () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(rescueFocus, 0);
    };
    // A focused control removed or disabled fires no focusout in every browser: watch the DOM too.
    const watcher = new MutationObserver(rescueFocus);
    watcher.observe(dialog, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled', 'hidden'] });
    document.addEventListener('keydown', onKeyDown);
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('focusout', onFocusOut);
    dialog.addEventListener('focusin', onFocusIn);

    if (inner < 0) {
      const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? tabbable(dialog)[0];
      (first ?? dialog).focus();
    }
    return () => {
      window.clearTimeout(pending);
      watcher.disconnect();
      document.removeEventListener('keydown', onKeyDown);
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('focusout', onFocusOut);
      dialog.removeEventListener('focusin', onFocusIn);
      openDialogs.splice(openDialogs.indexOf(dialog), 1);
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      previous?.focus();
    };
  }, []);

  // The <dialog> is the full-screen shade (its ::backdrop stays clear); the panel sits inside.
  return (
    <dialog
      ref={box}
      aria-modal="true"
      aria-labelledby={titleId}
      tabIndex={-1}
      className="fixed inset-0 z-40 m-0 h-full max-h-none w-full max-w-none overflow-y-auto bg-slate-900/40 p-4 backdrop:bg-transparent focus:outline-none"
    >
      <div className="flex min-h-full items-start justify-center sm:items-center">
        <div className="w-full max-w-lg rounded-lg bg-white p-5 shadow-xl">
          <div className="mb-4 flex items-start justify-between gap-4">
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
            {onClose && (
              <button
                type="button"
                className={`rounded px-2 text-xl leading-none text-slate-600 hover:text-slate-900 ${focusRing}`}
                aria-label={closeLabel}
                onClick={onClose}
              >
                ×
              </button>
            )}
          </div>
          {children}
        </div>
      </div>
    </dialog>
  );
}
