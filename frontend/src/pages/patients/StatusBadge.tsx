import type { PatientStatus } from '../../api/patients';

const TONES: Record<PatientStatus, string> = {
  active: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  inactive: 'bg-slate-200 text-slate-800 ring-slate-300',
};

/** "Activo" / "Inactivo" as a small pill (the text, not the colour, carries the meaning). */
export function StatusBadge({ status, label }: { status: PatientStatus; label: string }) {
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${TONES[status]}`}
    >
      {label}
    </span>
  );
}
