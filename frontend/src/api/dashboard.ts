import { http } from './http';

/** `GET /api/dashboard/stats`: a counter is null when its context did not answer. */
export interface DashboardStats {
  totalPatients: number | null;
  totalAppointments: number | null;
  totalInvoices: number | null;
  /** Added by the patients context when it answers. */
  activePatients?: number | null;
  newPatientsThisMonth?: number | null;
  degraded: string[];
  [extra: string]: unknown;
}

/** The dashboard's counters, gathered by the gateway from every context. */
export async function fetchDashboardStats(): Promise<DashboardStats> {
  const { data } = await http.get<DashboardStats>('/api/dashboard/stats');
  return data;
}
