import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useRouterState } from '@tanstack/react-router';
import { errorMessage } from '../../api/problem';
import { userKeys } from '../../api/queryKeys';
import { listUsers } from '../../api/users';
import { ROLES } from '../../auth/types';
import { Alert } from '../../components/Alert';
import { Pager } from '../../components/Pager';
import { linkClass, primaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { NOTICE_MESSAGES } from './notices';
import { ROLE_LABELS } from './userFields';

const route = getRouteApi('/app/users/');
const cell = 'px-3 py-2 text-left align-top';

/** `/users`: staff accounts by name, a page at a time. */
export function UsersListPage() {
  const { t, locale } = useI18n();
  useDocumentTitle(t('users.title'));
  const { page = 1 } = route.useSearch();
  const notice = useRouterState({ select: (state) => state.location.state.notice });
  const users = useQuery({
    queryKey: userKeys.list(page),
    queryFn: () => listUsers(page),
    placeholderData: keepPreviousData,
  });
  const hasNext = !!users.data?.view?.next;

  return (
    <section aria-labelledby="users-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="users-title" className="text-2xl font-semibold">
          {t('users.title')}
        </h1>
        <Link to="/users/new" className={primaryButton}>
          {t('users.new')}
        </Link>
      </div>
      {notice && (
        <Alert tone="success" className="mb-4">
          {t(NOTICE_MESSAGES[notice])}
        </Alert>
      )}
      {users.isPending && <p role="status">{t('common.loading')}</p>}
      {users.isError && <Alert>{errorMessage(users.error, t)}</Alert>}
      {users.data && users.data.member.length === 0 && <p>{t('users.empty')}</p>}
      {users.data && users.data.member.length > 0 && (
        // A table, or on a phone a card per user (index.css, `card-table`).
        <div className="card-table-box">
          <table className="card-table min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className={cell}>{t('users.fullName')}</th>
                <th scope="col" className={cell}>{t('users.email')}</th>
                <th scope="col" className={cell}>{t('users.roles')}</th>
                <th scope="col" className={cell}>{t('users.active')}</th>
                <th scope="col" className={cell}>{t('users.updatedAt')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.data.member.map((user) => (
                <tr key={user.id} className={user.active ? '' : 'text-slate-500'}>
                  <td className={`${cell} card-title`}>
                    <span className="flex items-center gap-2">
                      <span
                        aria-hidden="true"
                        className="inline-block h-3 w-3 shrink-0 rounded-full ring-1 ring-slate-300"
                        style={{ backgroundColor: user.color ?? 'transparent' }}
                      />
                      <Link to="/users/$userId" params={{ userId: user.id }} className={linkClass}>
                        {user.fullName}
                      </Link>
                    </span>
                    {!user.active && (
                      <span className="mt-1 inline-block rounded bg-slate-200 px-2 text-xs font-medium text-slate-700">
                        {t('users.inactive')}
                      </span>
                    )}
                  </td>
                  <td className={`${cell} break-all`} data-label={t('users.email')}>{user.email}</td>
                  <td className={cell} data-label={t('users.roles')}>
                    {ROLES.filter((role) => user.roles.includes(role))
                      .map((role) => t(ROLE_LABELS[role]))
                      .join(', ')}
                  </td>
                  <td className={cell} data-label={t('users.active')}>
                    {user.active ? t('common.yes') : t('common.no')}
                  </td>
                  <td className={cell} data-label={t('users.updatedAt')}>{formatDateTime(user.updatedAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {users.data && (
        <Pager
          page={page}
          hasNext={hasNext}
          renderLink={(target, props) => (
            <Link to="/users" search={target > 1 ? { page: target } : {}} {...props} />
          )}
        />
      )}
    </section>
  );
}
