import { Link, Outlet } from '@tanstack/react-router';
import { useState } from 'react';
import { SessionKeeper } from '../auth/SessionKeeper';
import { useSession } from '../auth/SessionContext';
import { hasRole } from '../auth/types';
import { canBill } from '../pages/billing/access';
import { useI18n } from '../i18n/useI18n';
import { LanguageSwitcher } from './LanguageSwitcher';
import { canSeePatients, PatientQuickSearch } from './PatientQuickSearch';
import { focusRing, secondaryButton } from './styles';

const navLink = `block rounded-md px-3 py-2 text-base font-medium text-slate-100 hover:bg-teal-800 md:text-sm ${focusRing} focus-visible:outline-white`;
const activeNavLink = 'bg-teal-950 text-white';

/** The frame of every signed-in page: skip link, header, navigation by role, the page, and the
 * session's end (a warning, then a sign-in dialog over the page). */
export function Layout() {
  const { t } = useI18n();
  const { session, user } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const closeMenu = () => setMenuOpen(false);

  return (
    <div className="min-h-screen bg-slate-50 text-slate-900">
      <a
        href="#main"
        className={`sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-teal-900 ${focusRing}`}
      >
        {t('app.skipToContent')}
      </a>
      <header className="bg-teal-900 text-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <Link to="/" className={`rounded text-lg font-semibold ${focusRing} focus-visible:outline-white`}>
            {t('app.title')}
          </Link>
          <button
            type="button"
            className={`rounded-md border border-teal-600 px-3 py-1 text-sm md:hidden ${focusRing} focus-visible:outline-white`}
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {t('nav.menu')}
          </button>
          {/* Outside the collapsible menu: on a phone too, the search is one tap (or key) away. */}
          {canSeePatients(user) && <PatientQuickSearch />}
          <div
            id="main-nav"
            className={`${menuOpen ? 'flex' : 'hidden'} w-full flex-col gap-3 md:flex md:w-auto md:flex-row md:items-center`}
          >
            <nav aria-label={t('nav.menu')}>
              <ul className="flex flex-col gap-1 md:flex-row">
                <li>
                  <Link
                    to="/"
                    className={navLink}
                    activeProps={{ className: activeNavLink, 'aria-current': 'page' }}
                    activeOptions={{ exact: true }}
                    onClick={closeMenu}
                  >
                    {t('nav.dashboard')}
                  </Link>
                </li>
                <li>
                  <Link
                    to="/calendar"
                    className={navLink}
                    activeProps={{ className: activeNavLink, 'aria-current': 'page' }}
                    onClick={closeMenu}
                  >
                    {t('nav.calendar')}
                  </Link>
                </li>
                <li>
                  <Link
                    to="/patients"
                    className={navLink}
                    activeProps={{ className: activeNavLink, 'aria-current': 'page' }}
                    onClick={closeMenu}
                  >
                    {t('nav.patients')}
                  </Link>
                </li>
                {canBill(user) && (
                  <>
                    <li>
                      <Link
                        to="/invoices"
                        className={navLink}
                        activeProps={{ className: activeNavLink, 'aria-current': 'page' }}
                        onClick={closeMenu}
                      >
                        {t('nav.invoices')}
                      </Link>
                    </li>
                    <li>
                      <Link
                        to="/customers"
                        className={navLink}
                        activeProps={{ className: activeNavLink, 'aria-current': 'page' }}
                        onClick={closeMenu}
                      >
                        {t('nav.customers')}
                      </Link>
                    </li>
                  </>
                )}
                {hasRole(user, 'ROLE_ADMIN') && (
                  <li>
                    <Link
                      to="/records/audit"
                      className={navLink}
                      activeProps={{ className: activeNavLink, 'aria-current': 'page' }}
                      onClick={closeMenu}
                    >
                      {t('nav.recordsAudit')}
                    </Link>
                  </li>
                )}
                {hasRole(user, 'ROLE_ADMIN') && (
                  <li>
                    <Link
                      to="/users"
                      className={navLink}
                      activeProps={{ className: activeNavLink, 'aria-current': 'page' }}
                      onClick={closeMenu}
                    >
                      {t('nav.users')}
                    </Link>
                  </li>
                )}
                {hasRole(user, 'ROLE_ADMIN') && (
                  <li>
                    <Link
                      to="/settings/sessions"
                      className={navLink}
                      activeProps={{ className: activeNavLink, 'aria-current': 'page' }}
                      onClick={closeMenu}
                    >
                      {t('nav.sessionSettings')}
                    </Link>
                  </li>
                )}
              </ul>
            </nav>
            <div className="flex flex-wrap items-center gap-3 text-slate-900 md:text-white">
              <p className="text-sm text-teal-50" data-testid="signed-in-user">
                {t('nav.signedInAs', { name: user?.fullName ?? '' })}
              </p>
              <LanguageSwitcher className="text-teal-50" />
              <button
                type="button"
                className={`${secondaryButton} px-3 py-1 text-sm`}
                onClick={() => void session.logout()}
              >
                {t('nav.logout')}
              </button>
            </div>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none">
        <Outlet />
      </main>
      {/* Outside <main>: the page stays mounted beneath, whatever happens to the session. */}
      <SessionKeeper />
    </div>
  );
}
