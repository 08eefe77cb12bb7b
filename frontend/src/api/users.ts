import { type Collection, type Full, http, type Schema, type Versioned, versioned } from './http';
import { idempotencyHeaders } from './idempotency';

export const USERS_PER_PAGE = 15;

/** A staff account as the admin screens see it. */
export type UserDetail = Schema<'UserDetail'>;

/** `POST /api/users`. */
export type UserCreate = Full<Schema<'UserCreate'>>;

/** `PUT /api/users/{id}`: every editable field; `password` only to reset it. */
export type UserUpdate = Full<Schema<'UserUpdate'>, 'password'>;

/** One page of staff accounts, by name. */
export async function listUsers(page: number): Promise<Collection<UserDetail>> {
  const { data } = await http.get<Collection<UserDetail>>('/api/users', {
    params: { page, itemsPerPage: USERS_PER_PAGE },
  });
  return data;
}

/** One staff account with its ETag. */
export async function getUser(id: string): Promise<Versioned<UserDetail>> {
  return versioned(await http.get<UserDetail>(`/api/users/${encodeURIComponent(id)}`));
}

/** Create a staff account (`idempotencyKey`: a retry of the same body creates no second one). */
export async function createUser(body: UserCreate, idempotencyKey?: string): Promise<UserDetail> {
  const { data } = await http.post<UserDetail>('/api/users', body, {
    headers: idempotencyHeaders(idempotencyKey),
  });
  return data;
}

/** Replace a staff account's fields, if nobody changed it since `etag` (else 412). */
export async function updateUser(
  id: string,
  body: UserUpdate,
  etag: string,
): Promise<Versioned<UserDetail>> {
  const response = await http.put<UserDetail>(`/api/users/${encodeURIComponent(id)}`, body, {
    headers: { 'If-Match': etag },
  });
  return versioned(response);
}
