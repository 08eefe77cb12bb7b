import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useIdempotencyKey } from '../../api/idempotency';
import { toApiError } from '../../api/problem';
import { userKeys } from '../../api/queryKeys';
import { createUser, type UserCreate } from '../../api/users';
import { linkClass } from '../../components/styles';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useI18n } from '../../i18n/useI18n';
import { UserForm } from './UserForm';
import { emptyUserForm, toUserCreate } from './userFields';

/** `/users/new`: a new staff account with its initial password. */
export function UserCreatePage() {
  const { t } = useI18n();
  useDocumentTitle(t('users.new'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(emptyUserForm);
  const idempotency = useIdempotencyKey();
  const create = useMutation({
    mutationFn: ({ body, key }: { body: UserCreate; key: string }) => createUser(body, key),
    onSuccess: async () => {
      idempotency.reset();
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
      await navigate({ to: '/users', state: { notice: 'userCreated' } });
    },
  });

  return (
    <section aria-labelledby="user-create-title">
      <p className="mb-2">
        <Link to="/users" className={linkClass}>
          {t('users.backToList')}
        </Link>
      </p>
      <h1 id="user-create-title" className="mb-4 text-2xl font-semibold">
        {t('users.new')}
      </h1>
      <UserForm
        mode="create"
        values={values}
        onChange={setValues}
        onSubmit={() => {
          const body = toUserCreate(values);
          create.mutate({ body, key: idempotency.keyFor(body) });
        }}
        submitting={create.isPending}
        error={create.error ? toApiError(create.error) : null}
      />
    </section>
  );
}
