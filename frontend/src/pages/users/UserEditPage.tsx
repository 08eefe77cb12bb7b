import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage, toApiError } from '../../api/problem';
import { userKeys } from '../../api/queryKeys';
import type { Versioned } from '../../api/http';
import { getUser, updateUser, type UserDetail } from '../../api/users';
import { Alert } from '../../components/Alert';
import { dangerButton, linkClass, secondaryButton } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { UserForm } from './UserForm';
import { toUserUpdate, userFormFrom } from './userFields';

const route = getRouteApi('/app/users/$userId');

/** `/users/$userId`: edit or deactivate a staff account (If-Match: a stale edit is refused). */
export function UserEditPage() {
  const { t } = useI18n();
  useDocumentTitle(t('users.edit'));
  const { userId } = route.useParams();
  const [loads, setLoads] = useState(0);
  const user = useQuery({ queryKey: userKeys.detail(userId), queryFn: () => getUser(userId) });

  async function reload() {
    await user.refetch();
    setLoads((n) => n + 1); // a fresh editor, filled with what the server has now
  }

  return (
    <section aria-labelledby="user-edit-title">
      <p className="mb-2">
        <Link to="/users" className={linkClass}>
          {t('users.backToList')}
        </Link>
      </p>
      <h1 id="user-edit-title" className="mb-4 text-2xl font-semibold">
        {t('users.edit')}
      </h1>
      {user.isPending && <p role="status">{t('common.loading')}</p>}
      {user.isError && <Alert>{errorMessage(user.error, t)}</Alert>}
      {user.data && <UserEditor key={loads} loaded={user.data} onReload={() => void reload()} />}
    </section>
  );
}

interface UserEditorProps {
  loaded: Versioned<UserDetail>;
  onReload: () => void;
}

function UserEditor({ loaded, onReload }: UserEditorProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(() => userFormFrom(loaded.data));
  const [stored, setStored] = useState(loaded);
  const [confirming, setConfirming] = useState(false);

  const remember = async (saved: Versioned<UserDetail>) => {
    setStored(saved);
    queryClient.setQueryData(userKeys.detail(saved.data.id), saved);
    await queryClient.invalidateQueries({ queryKey: userKeys.lists() });
  };

  const save = useMutation({
    mutationFn: () => updateUser(stored.data.id, toUserUpdate(values), stored.etag),
    onSuccess: async (saved) => {
      await remember(saved);
      await navigate({ to: '/users', state: { notice: 'userSaved' } });
    },
  });
  // Deactivating applies to the stored account only; whatever is typed in the form stays.
  const deactivate = useMutation({
    mutationFn: () =>
      updateUser(
        stored.data.id,
        { ...toUserUpdate(userFormFrom(stored.data)), active: false },
        stored.etag,
      ),
    onSuccess: async (saved) => {
      setConfirming(false);
      setValues((current) => ({ ...current, active: false }));
      await remember(saved);
    },
  });

  const failure = save.error ?? deactivate.error;
  const error = failure ? toApiError(failure) : null;
  const busy = save.isPending || deactivate.isPending;

  return (
    <div className="flex flex-col gap-4">
      {error?.status === 412 && (
        <Alert tone="warning">
          <p className="mb-2">{t('errors.staleEdit')}</p>
          <button type="button" className={secondaryButton} onClick={onReload}>
            {t('common.reload')}
          </button>
        </Alert>
      )}
      {deactivate.isSuccess && <Alert tone="success">{t('users.deactivated')}</Alert>}
      <UserForm
        mode="edit"
        values={values}
        onChange={setValues}
        onSubmit={() => {
          deactivate.reset();
          save.mutate();
        }}
        submitting={busy}
        error={error}
      >
        {stored.data.active && !confirming && (
          <button type="button" className={dangerButton} onClick={() => setConfirming(true)}>
            {t('users.deactivate')}
          </button>
        )}
      </UserForm>
      {confirming && (
        <div
          role="group"
          aria-labelledby="deactivate-question"
          className="max-w-xl rounded-md border border-red-200 bg-red-50 p-4"
        >
          <p id="deactivate-question" className="mb-3 text-red-900">
            {t('users.deactivateConfirm', { name: stored.data.fullName })}
          </p>
          <div className="flex flex-wrap gap-3">
            <button
              type="button"
              className={dangerButton}
              disabled={busy}
              onClick={() => {
                save.reset();
                deactivate.mutate();
              }}
            >
              {t('users.deactivate')}
            </button>
            <button type="button" className={secondaryButton} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
