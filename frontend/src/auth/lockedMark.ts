// Set in this tab while its session is locked: a reload then lands on /login saying the session
// expired (and the forms kept by keptForm.ts come back after signing in).
const LOCKED_MARK = 'clinic-session-locked';

/** Remember (or forget) in this tab that the session is locked. */
export function markLocked(locked: boolean): void {
  try {
    if (locked) window.sessionStorage.setItem(LOCKED_MARK, '1');
    else window.sessionStorage.removeItem(LOCKED_MARK);
  } catch {
    // storage disabled: the login page just does not say why
  }
}

/** Whether this tab's session was locked when the page went away. */
export function wasLocked(): boolean {
  try {
    return window.sessionStorage.getItem(LOCKED_MARK) === '1';
  } catch {
    return false;
  }
}
