// The Spanish check letter: the number modulo 23 indexes this table (same algorithm as the server).
const CHECK_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const DNI = /^\d{8}[A-Z]$/;
const NIE = /^[XYZ]\d{7}[A-Z]$/;
const NIE_PREFIX_DIGITS = 'XYZ';

/** Upper case without spaces, dots or dashes: "12.345.678-z" → "12345678Z". */
export function compactTaxId(value: string): string {
  return value.toUpperCase().replace(/[\s.-]/g, '');
}

/** The check letter a DNI number (or an NIE with its prefix replaced) must end with. */
export function checkLetter(digits: string): string {
  return CHECK_LETTERS.charAt(Number(digits) % 23);
}

/** Whether `value` has the shape of a Spanish DNI or NIE (then its letter must be right). */
export function isSpanishTaxIdShape(value: string): boolean {
  const compact = compactTaxId(value);
  return DNI.test(compact) || NIE.test(compact);
}

/**
 * Whether a tax id is acceptable: a DNI/NIE-shaped value needs the right check letter; any other
 * document (a passport, a foreign id) is taken as given.
 */
export function isValidTaxId(value: string): boolean {
  const compact = compactTaxId(value);
  if (!DNI.test(compact) && !NIE.test(compact)) return true;
  // An NIE counts as a number whose first digit stands for its X, Y or Z.
  const digits = NIE.test(compact)
    ? `${NIE_PREFIX_DIGITS.indexOf(compact.charAt(0))}${compact.slice(1, -1)}`
    : compact.slice(0, -1);
  return checkLetter(digits) === compact.slice(-1);
}

/** What to store: a DNI/NIE in its compact form, anything else trimmed as typed. */
export function normalizeTaxId(value: string): string {
  return isSpanishTaxIdShape(value) ? compactTaxId(value) : value.trim();
}
