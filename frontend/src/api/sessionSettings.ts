import { http, type Schema, type Versioned, versioned } from './http';

/** The session policy: the admin's absolute maximum and the deployment's idle lifetime. */
export type SessionSettings = Schema<'SessionSettingsPublic'>;

export const sessionSettingsKey = ['session-settings'] as const;

/** `GET /api/session-settings` (admins). */
export async function getSessionSettings(): Promise<Versioned<SessionSettings>> {
  return versioned(await http.get<SessionSettings>('/api/session-settings'));
}

/** `PUT /api/session-settings` (admins, If-Match): the maximum in whole hours. */
export async function updateSessionSettings(
  maxSessionHours: number,
  etag: string,
): Promise<Versioned<SessionSettings>> {
  const body: Schema<'SessionSettingsUpdate'> = { maxSessionHours };
  return versioned(
    await http.put<SessionSettings>('/api/session-settings', body, { headers: { 'If-Match': etag } }),
  );
}
