import { useMemo, useRef } from 'react';

/**
 * The header every creating POST carries (ADR 0008): a retry with the same key and the same body
 * gets the first answer replayed instead of creating a twin.
 */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/**
 * A random UUID (version 4). randomUUID only exists in secure contexts (HTTPS or localhost), so
 * on the clinic's plain-HTTP network the key is built from getRandomValues, which exists anywhere.
 */
export function newIdempotencyKey(source: Crypto = globalThis.crypto): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const digits = Array.from(bytes, hex).join('');
  return [
    digits.slice(0, 8),
    digits.slice(8, 12),
    digits.slice(12, 16),
    digits.slice(16, 20),
    digits.slice(20),
  ].join('-');
}

/** The request headers that send `key` (none without one). */
export function idempotencyHeaders(key: string | undefined): Record<string, string> {
  return key ? { [IDEMPOTENCY_HEADER]: key } : {};
}

export interface IdempotencyKeys {
  /** The key for sending `body`: the same while its JSON is unchanged, a fresh one otherwise. */
  keyFor: (body: unknown) => string;
  /** Forget the key (after a successful create), so the next submission gets a new one. */
  reset: () => void;
}

/**
 * One form's idempotency key. Ask `keyFor(body)` on every submission: clicking again after a lost
 * answer (network error, timeout) resends the same key, so the server replays the first answer
 * rather than creating a duplicate; once the form changes, the request is another one and gets
 * another key. Call `reset()` once the create succeeded.
 */
export function useIdempotencyKey(): IdempotencyKeys {
  const last = useRef<{ body: string; key: string } | null>(null);
  return useMemo(
    () => ({
      keyFor: (body: unknown) => {
        const serialised = JSON.stringify(body);
        if (last.current?.body !== serialised) {
          last.current = { body: serialised, key: newIdempotencyKey() };
        }
        return last.current.key;
      },
      reset: () => {
        last.current = null;
      },
    }),
    [],
  );
}
