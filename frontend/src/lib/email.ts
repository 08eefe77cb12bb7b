// Loose on purpose: the server's check is the real one; this only catches a typing slip early.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether `value` looks like an email address (something@domain.tld, no spaces). */
export function looksLikeEmail(value: string): boolean {
  return EMAIL.test(value);
}
