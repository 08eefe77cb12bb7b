import { afterAll, beforeAll } from 'vitest';

/** Run this file's tests with the browser in `zone`: the app shows times in the browser's zone. */
export function inTimeZone(zone: string): void {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.TZ;
    process.env.TZ = zone;
  });
  afterAll(() => {
    // Assigning undefined would store the string "undefined".
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}
