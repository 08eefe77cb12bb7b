import { http } from '../api/http';
import { Session } from './session';

/** The app's one session, wired to the shared HTTP client. */
export const session = new Session(http);
