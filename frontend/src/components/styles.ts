/** Shared class lists, so every control shows the same visible focus ring. */
export const focusRing =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-700';

export const inputClass = `block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm aria-[invalid=true]:border-red-600 ${focusRing}`;

export const colorInputClass = `block h-11 w-full cursor-pointer rounded-md border border-slate-300 bg-white p-1 ${focusRing}`;

export const primaryButton = `inline-flex items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-base font-medium text-white hover:bg-teal-800 disabled:cursor-not-allowed disabled:opacity-60 ${focusRing}`;

export const secondaryButton = `inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-base font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60 ${focusRing}`;

export const dangerButton = `inline-flex items-center justify-center rounded-md border border-red-300 bg-white px-4 py-2 text-base font-medium text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-60 ${focusRing}`;

export const linkClass = `rounded text-teal-800 underline underline-offset-2 hover:text-teal-950 ${focusRing}`;
