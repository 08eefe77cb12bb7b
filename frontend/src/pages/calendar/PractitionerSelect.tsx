import type { ComponentProps } from 'react';
import type { Practitioner } from '../../api/appointments';
import { SelectField } from '../../components/Field';
import { useI18n } from '../../i18n/useI18n';

type PractitionerSelectProps = Omit<ComponentProps<typeof SelectField>, 'label' | 'children'> & {
  practitioners: readonly Practitioner[];
  /** Offer "choose a physiotherapist" first, for forms that may start without one. */
  withPlaceholder?: boolean;
};

/** The labelled choice of a physiotherapist, as every calendar form offers it. */
export function PractitionerSelect({ practitioners, withPlaceholder = false, ...select }: PractitionerSelectProps) {
  const { t } = useI18n();
  return (
    <SelectField label={t('calendar.practitioner')} {...select}>
      {withPlaceholder && <option value="">{t('calendar.choosePractitioner')}</option>}
      {practitioners.map((p) => (
        <option key={p.id} value={p.id}>
          {p.fullName}
        </option>
      ))}
    </SelectField>
  );
}
