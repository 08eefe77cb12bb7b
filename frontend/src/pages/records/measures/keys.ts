import { recordKeys } from '../../../api/queryKeys';

/** Query keys of measures, outcomes and pain: under recordKeys.all, so records' invalidations reach them. */
export const measureKeys = {
  list: (patientId: string) => [...recordKeys.all, 'measures', patientId] as const,
  outcomes: (episodeId: string) => [...recordKeys.all, 'outcomes', episodeId] as const,
  pain: (patientId: string) => [...recordKeys.all, 'pain', patientId] as const,
};
