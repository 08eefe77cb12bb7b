import { useCallback, useRef, useState } from 'react';
import { checkDuplicates, type DuplicateCandidate } from '../../api/patients';
import type { PatientFormValues } from './formValues';
import { duplicateQuery } from './patientFields';

/**
 * Ask the server, when a name, birth date or tax id field is left, whether the patient may
 * already be registered. Only a warning: the user may save anyway.
 */
export function useDuplicateCheck(excludeId?: string) {
  const [candidates, setCandidates] = useState<DuplicateCandidate[]>([]);
  const lastAsked = useRef<string | null>(null);
  const latest = useRef(0);

  const check = useCallback(
    async (values: PatientFormValues) => {
      const query = duplicateQuery(values, excludeId);
      const signature = query ? JSON.stringify(query) : null;
      if (signature === lastAsked.current) return;
      lastAsked.current = signature;
      latest.current += 1;
      const ticket = latest.current;
      if (!query) {
        setCandidates([]);
        return;
      }
      try {
        const found = await checkDuplicates(query);
        // A slower answer to an older question must not replace a newer one.
        if (ticket === latest.current) setCandidates(found);
      } catch {
        // Saving still works without the warning (and a reused tax id still gets its 409).
        if (ticket === latest.current) {
          setCandidates([]);
          lastAsked.current = null;
        }
      }
    },
    [excludeId],
  );

  return { candidates, check };
}
