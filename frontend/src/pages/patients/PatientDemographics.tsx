import type { ReactNode } from 'react';
import type { Patient } from '../../api/patients';
import { linkClass } from '../../components/styles';
import type { Locale, TranslationKey } from '../../i18n/catalogs';
import { formatCalendarDate, formatCountry, formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/useI18n';
import { localIsoDate } from '../../lib/dates';
import { SEX_LABELS } from './labels';

/** Whole years from `birthDate` to `today` (both "YYYY-MM-DD"). */
export function ageOn(birthDate: string, today = localIsoDate()): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5, 10) ? years - 1 : years;
}

interface Item {
  label: TranslationKey;
  value: ReactNode;
}

/** A date-and-time item, or none at all while there is no date. */
function whenGiven(label: TranslationKey, value: string | null, locale: Locale): Item[] {
  return value ? [{ label, value: formatDateTime(value, locale) }] : [];
}

function Section({ id, title, items }: { id: string; title: string; items: Item[] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby={id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr] sm:gap-y-3">
        {items.map(({ label, value }) => (
          <div key={label} className="contents">
            <dt className="text-sm font-medium text-slate-600">{t(label)}</dt>
            <dd className="mb-2 break-words text-slate-900 sm:mb-0">
              {value === null || value === '' ? (
                <span className="text-slate-500">{t('patients.notGiven')}</span>
              ) : (
                value
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** A patient's personal, contact and administrative data, each in its own labelled section. */
export function PatientDemographics({ patient }: { patient: Patient }) {
  const { t, locale } = useI18n();
  const { address, emergencyContact: contact } = patient;
  const addressLines = address
    ? [
        address.street,
        [address.postalCode, address.city].filter(Boolean).join(' '),
        [address.province, address.country && formatCountry(address.country, locale)]
          .filter(Boolean)
          .join(', '),
      ].filter(Boolean)
    : [];

  const identity: Item[] = [
    { label: 'patients.taxId', value: patient.taxId },
    {
      label: 'patients.birthDate',
      value: patient.birthDate
        ? t('patients.birthDateWithAge', {
            date: formatCalendarDate(patient.birthDate, locale),
            age: ageOn(patient.birthDate),
          })
        : null,
    },
    { label: 'patients.sex', value: patient.sex ? t(SEX_LABELS[patient.sex]) : null },
    { label: 'patients.occupation', value: patient.occupation },
  ];
  const contactItems: Item[] = [
    {
      label: 'patients.phone',
      // Dialled as stored (E.164), read as the API groups it.
      value: patient.phone ? (
        <a href={`tel:${patient.phone.replace(/\s/g, '')}`} className={linkClass}>
          {patient.phoneDisplay ?? patient.phone}
        </a>
      ) : null,
    },
    {
      label: 'patients.email',
      value: patient.email ? (
        <a href={`mailto:${patient.email}`} className={linkClass}>
          {patient.email}
        </a>
      ) : null,
    },
    {
      label: 'patients.section.address',
      value: addressLines.length
        ? addressLines.map((line) => (
            <span key={line} className="block">
              {line}
            </span>
          ))
        : null,
    },
    {
      label: 'patients.section.emergencyContact',
      value: contact && (contact.name || contact.phone)
        ? [contact.name, patient.emergencyContactPhoneDisplay ?? contact.phone].filter(Boolean).join(' · ')
        : null,
    },
    {
      label: 'patients.preferredLocale',
      value: t(patient.preferredLocale === 'en' ? 'language.en' : 'language.es'),
    },
  ];
  const administrative: Item[] = [
    {
      label: 'patients.dataConsentShort',
      value: patient.dataConsentAt
        ? t('patients.dataConsentGiven', { date: formatDateTime(patient.dataConsentAt, locale) })
        : t('patients.dataConsentMissing'),
    },
    { label: 'patients.referralSource', value: patient.referralSource },
    {
      label: 'patients.notes',
      value: patient.notes ? <span className="whitespace-pre-line">{patient.notes}</span> : null,
    },
    // Kept by the patients service from scheduling's events; shown once there is something to show.
    ...whenGiven('patients.lastVisitAt', patient.lastVisitAt, locale),
    ...whenGiven('patients.nextAppointmentAt', patient.nextAppointmentAt, locale),
    { label: 'patients.createdAt', value: formatDateTime(patient.createdAt, locale) },
    { label: 'patients.updatedAt', value: formatDateTime(patient.updatedAt, locale) },
  ];

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Section id="patient-identity" title={t('patients.section.identity')} items={identity} />
      <Section id="patient-contact" title={t('patients.section.contact')} items={contactItems} />
      <div className="lg:col-span-2">
        <Section
          id="patient-administrative"
          title={t('patients.section.administrative')}
          items={administrative}
        />
      </div>
    </div>
  );
}
