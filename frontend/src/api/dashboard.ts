import { http, type Schema } from './http';

/**
 * `GET /api/dashboard/stats`: a counter is null when its context did not answer; the patients
 * context adds its own counters when it answers (the gateway passes any a context sends).
 */
export type DashboardStats = Schema<'DashboardStats'> &
  Partial<Pick<Schema<'PatientStats'>, 'activePatients' | 'newPatientsThisMonth'>>;

/** Scheduling's figures (a practitioner's own when `practitionerId` is set). */
export type SchedulingStats = Schema<'StatsPublic'>;

/** The dashboard's counters, gathered by the gateway from every context. */
export async function fetchDashboardStats(): Promise<DashboardStats> {
  const { data } = await http.get<DashboardStats>('/api/dashboard/stats');
  return data;
}
