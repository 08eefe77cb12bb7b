import type { TranslationKey } from '../../i18n/catalogs';

/** A message carried to the users list in the history state after a successful change. */
export type UsersNotice = 'userCreated' | 'userSaved' | 'userDeactivated';

export const NOTICE_MESSAGES: Record<UsersNotice, TranslationKey> = {
  userCreated: 'users.created',
  userSaved: 'users.saved',
  userDeactivated: 'users.deactivated',
};

declare module '@tanstack/react-router' {
  interface HistoryState {
    notice?: UsersNotice;
  }
}
