import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router';
import type { Session } from '../auth/session';
import { Layout } from '../components/Layout';
import { BILLING_ROLES } from '../pages/billing/access';
import {
  parseCustomerListSearch,
  parseInvoiceCreateSearch,
  parseInvoiceListSearch,
} from '../pages/billing/listSearch';
import { parseCalendarSearch } from '../pages/calendar/calendarSearch';
import { parseDayListSearch } from '../pages/calendar/dayListSearch';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { parsePatientListSearch } from '../pages/patients/listSearch';
import { RECORDS_ROLES } from '../pages/records/access';
import { parseAuditSearch, parseEntryCreateSearch } from '../pages/records/recordsSearch';
import { RouteErrorPage } from '../pages/RouteErrorPage';
import { loginSearch, requireAnyRole, requireRole, safeRedirect } from './guards';

export interface RouterContext {
  session: Session;
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' ? { redirect: search.redirect } : {},
  beforeLoad: ({ context, search }) => {
    if (context.session.getSnapshot().status === 'signedIn') {
      throw redirect({ href: safeRedirect(search.redirect) });
    }
  },
  component: LoginPage,
});

// Every page below needs a session; without one the user goes to /login and comes back after.
// A locked session (ended under the user, who is signing in again over the page) keeps the page.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: ({ context, location }) => {
    const { status } = context.session.getSnapshot();
    if (status !== 'signedIn' && status !== 'locked') {
      throw redirect({ to: '/login', search: loginSearch(context.session, location.href) });
    }
  },
  component: Layout,
  errorComponent: RouteErrorPage,
});

// Pages are separate chunks, fetched on first visit (pages built later follow the same pattern).
const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: lazyRouteComponent(() => import('../pages/DashboardPage'), 'DashboardPage'),
});

const usersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/users',
  beforeLoad: ({ context }) => requireRole(context.session, 'ROLE_ADMIN'),
  component: Outlet,
  errorComponent: RouteErrorPage,
});

const usersListRoute = createRoute({
  getParentRoute: () => usersRoute,
  path: '/',
  validateSearch: (search: Record<string, unknown>): { page?: number } => {
    const page = Number(search.page);
    return Number.isInteger(page) && page > 1 ? { page } : {};
  },
  component: lazyRouteComponent(() => import('../pages/users/UsersListPage'), 'UsersListPage'),
});

const userCreateRoute = createRoute({
  getParentRoute: () => usersRoute,
  path: '/new',
  component: lazyRouteComponent(() => import('../pages/users/UserCreatePage'), 'UserCreatePage'),
});

const userEditRoute = createRoute({
  getParentRoute: () => usersRoute,
  path: '/$userId',
  component: lazyRouteComponent(() => import('../pages/users/UserEditPage'), 'UserEditPage'),
});

// Patients: every role (reception registers them, physiotherapists look them up).
const patientsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/patients',
  component: Outlet,
  errorComponent: RouteErrorPage,
});

const patientsListRoute = createRoute({
  getParentRoute: () => patientsRoute,
  path: '/',
  validateSearch: parsePatientListSearch,
  component: lazyRouteComponent(
    () => import('../pages/patients/PatientsListPage'),
    'PatientsListPage',
  ),
});

const patientCreateRoute = createRoute({
  getParentRoute: () => patientsRoute,
  path: '/new',
  component: lazyRouteComponent(
    () => import('../pages/patients/PatientCreatePage'),
    'PatientCreatePage',
  ),
});

const patientDetailRoute = createRoute({
  getParentRoute: () => patientsRoute,
  path: '/$patientId',
  component: lazyRouteComponent(
    () => import('../pages/patients/PatientDetailPage'),
    'PatientDetailPage',
  ),
});

const patientEditRoute = createRoute({
  getParentRoute: () => patientsRoute,
  path: '/$patientId/edit',
  component: lazyRouteComponent(() => import('../pages/patients/PatientEditPage'), 'PatientEditPage'),
});

// The calendar: every role (the front desk books, physiotherapists see their day). FullCalendar
// is only in this page's chunk.
const calendarRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/calendar',
  validateSearch: parseCalendarSearch,
  component: lazyRouteComponent(() => import('../pages/calendar/CalendarPage'), 'CalendarPage'),
});

// One physiotherapist's day, to print: the same roles as the calendar.
const dayListRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/calendar/day-list',
  validateSearch: parseDayListSearch,
  component: lazyRouteComponent(() => import('../pages/calendar/DayListPage'), 'DayListPage'),
});

// Billing (invoices, customers): the front desk and admins; practitioners are refused here as the
// API refuses them. The clinic's billing settings and catalogue: admins only.
const invoicesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/invoices',
  beforeLoad: ({ context }) => requireAnyRole(context.session, BILLING_ROLES),
  component: Outlet,
  errorComponent: RouteErrorPage,
});

const invoicesListRoute = createRoute({
  getParentRoute: () => invoicesRoute,
  path: '/',
  validateSearch: parseInvoiceListSearch,
  component: lazyRouteComponent(
    () => import('../pages/billing/InvoicesListPage'),
    'InvoicesListPage',
  ),
});

const invoiceCreateRoute = createRoute({
  getParentRoute: () => invoicesRoute,
  path: '/new',
  validateSearch: parseInvoiceCreateSearch,
  component: lazyRouteComponent(
    () => import('../pages/billing/InvoiceCreatePage'),
    'InvoiceCreatePage',
  ),
});

const invoiceDetailRoute = createRoute({
  getParentRoute: () => invoicesRoute,
  path: '/$invoiceId',
  component: lazyRouteComponent(
    () => import('../pages/billing/InvoiceDetailPage'),
    'InvoiceDetailPage',
  ),
});

const invoiceEditRoute = createRoute({
  getParentRoute: () => invoicesRoute,
  path: '/$invoiceId/edit',
  component: lazyRouteComponent(() => import('../pages/billing/InvoiceEditPage'), 'InvoiceEditPage'),
});

const customersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/customers',
  beforeLoad: ({ context }) => requireAnyRole(context.session, BILLING_ROLES),
  component: Outlet,
  errorComponent: RouteErrorPage,
});

const customersListRoute = createRoute({
  getParentRoute: () => customersRoute,
  path: '/',
  validateSearch: parseCustomerListSearch,
  component: lazyRouteComponent(
    () => import('../pages/billing/customers/CustomersListPage'),
    'CustomersListPage',
  ),
});

const customerCreateRoute = createRoute({
  getParentRoute: () => customersRoute,
  path: '/new',
  component: lazyRouteComponent(
    () => import('../pages/billing/customers/CustomerCreatePage'),
    'CustomerCreatePage',
  ),
});

const customerEditRoute = createRoute({
  getParentRoute: () => customersRoute,
  path: '/$customerId',
  component: lazyRouteComponent(
    () => import('../pages/billing/customers/CustomerEditPage'),
    'CustomerEditPage',
  ),
});

const billingSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/billing',
  beforeLoad: ({ context }) => requireRole(context.session, 'ROLE_ADMIN'),
  errorComponent: RouteErrorPage,
  component: lazyRouteComponent(
    () => import('../pages/billing/settings/BillingSettingsPage'),
    'BillingSettingsPage',
  ),
});

// The session policy (how long a session may last at most): admins only.
const sessionSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/sessions',
  beforeLoad: ({ context }) => requireRole(context.session, 'ROLE_ADMIN'),
  errorComponent: RouteErrorPage,
  component: lazyRouteComponent(
    () => import('../pages/settings/SessionSettingsPage'),
    'SessionSettingsPage',
  ),
});

// Clinical records: practitioners and admins (the API refuses receptionists every records route);
// the read audit: admins only.
const recordsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/records',
  beforeLoad: ({ context }) => requireAnyRole(context.session, RECORDS_ROLES),
  component: Outlet,
  errorComponent: RouteErrorPage,
});

const entryCreateRoute = createRoute({
  getParentRoute: () => recordsRoute,
  path: '/new',
  validateSearch: parseEntryCreateSearch,
  component: lazyRouteComponent(() => import('../pages/records/EntryCreatePage'), 'EntryCreatePage'),
});

const entryEditRoute = createRoute({
  getParentRoute: () => recordsRoute,
  path: '/$entryId/edit',
  component: lazyRouteComponent(() => import('../pages/records/EntryEditPage'), 'EntryEditPage'),
});

const auditRoute = createRoute({
  getParentRoute: () => recordsRoute,
  path: '/audit',
  beforeLoad: ({ context }) => requireRole(context.session, 'ROLE_ADMIN'),
  validateSearch: parseAuditSearch,
  component: lazyRouteComponent(() => import('../pages/records/AuditPage'), 'AuditPage'),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    dashboardRoute,
    calendarRoute,
    dayListRoute,
    patientsRoute.addChildren([
      patientsListRoute,
      patientCreateRoute,
      patientDetailRoute,
      patientEditRoute,
    ]),
    usersRoute.addChildren([usersListRoute, userCreateRoute, userEditRoute]),
    invoicesRoute.addChildren([
      invoicesListRoute,
      invoiceCreateRoute,
      invoiceDetailRoute,
      invoiceEditRoute,
    ]),
    customersRoute.addChildren([customersListRoute, customerCreateRoute, customerEditRoute]),
    billingSettingsRoute,
    sessionSettingsRoute,
    recordsRoute.addChildren([entryCreateRoute, entryEditRoute, auditRoute]),
  ]),
]);

/** The app's router; tests pass a memory history. */
export function createAppRouter(context: RouterContext, history?: RouterHistory) {
  return createRouter({
    routeTree,
    context,
    ...(history ? { history } : {}),
    defaultPreload: 'intent',
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
