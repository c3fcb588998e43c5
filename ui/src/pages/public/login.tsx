/** Sign-in with a username and password (`POST /auth/login`); then on to the role's area or the page asked for. */
import { useState } from 'preact/hooks';
import { ErrorBox, PageTitle } from '../../components/common';
import { useI18n } from '../../i18n';
import { HOME_OF_ROLE, useAuth } from '../../lib/auth';
import { navigate, useLocation } from '../../lib/router';

/** The sign-in page. */
export function LoginPage() {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const { query } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  return (
    <section class="narrow">
      <PageTitle title={t('auth.title')} lead={t('auth.lead')} />
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          signIn(username.trim(), password).then(
            (s) => {
              const next = query.get('next');
              navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : HOME_OF_ROLE[s.user.role], true);
            },
            (err: Error) => {
              setError(err);
              setBusy(false);
            },
          );
        }}
      >
        <label>
          {t('auth.username')}
          <input name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          {t('auth.password')}
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <ErrorBox error={error} />
        <button type="submit" class="btn" disabled={busy}>
          {t('auth.signIn')}
        </button>
        <p class="muted small">{t('auth.demoHint')}</p>
      </form>
    </section>
  );
}
