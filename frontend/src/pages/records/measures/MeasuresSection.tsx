import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../api/problem';
import { recordKeys } from '../../../api/queryKeys';
import { downloadClinicalHistoryPdf, type InstrumentCode, listEpisodes, listMeasures, type Measure } from '../../../api/records';
import { Alert } from '../../../components/Alert';
import { secondaryButton } from '../../../components/styles';
import { useI18n } from '../../../i18n/useI18n';
import { saveFile } from '../../billing/download';
import { MeasureDialog } from './MeasureDialog';
import { measureKeys } from './keys';
import { OutcomesTable } from './OutcomesTable';
import { PainChart } from './PainChart';
import { ScoreChart } from './ScoreChart';

/**
 * Outcome measures in the clinical history: "record a measure", the patient's pain over time
 * (notes and pain scales), one chart per instrument of the scores over time, and each episode's
 * outcomes. Practitioners and admins only, like
 * the rest of the history (the host must not render it for anyone else).
 */
export function MeasuresSection({ patientId }: { patientId: string }) {
  const { t } = useI18n();
  const [recording, setRecording] = useState<{ episodeId: string } | null>(null);
  const [recorded, setRecorded] = useState(false);
  const episodes = useQuery({ queryKey: recordKeys.episodes(patientId), queryFn: () => listEpisodes(patientId) });
  const measures = useQuery({ queryKey: measureKeys.list(patientId), queryFn: () => listMeasures(patientId) });
  const episodeRows = (episodes.data ?? []).toSorted((a, b) => Number(!!a.dischargedOn) - Number(!!b.dischargedOn));
  const openEpisode = episodeRows.find((episode) => !episode.dischargedOn);
  const byInstrument = new Map<InstrumentCode, Measure[]>();
  for (const measure of measures.data ?? []) {
    byInstrument.set(measure.instrument, [...(byInstrument.get(measure.instrument) ?? []), measure]);
  }

  function startRecording(episodeId: string) {
    setRecorded(false);
    setRecording({ episodeId });
  }

  return (
    <section aria-labelledby="measures-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id="measures-title" className="text-base font-semibold text-slate-800">
          {t('measures.title')}
        </h3>
        <button type="button" className={secondaryButton} onClick={() => startRecording(openEpisode?.id ?? '')}>
          {t('measures.record')}
        </button>
      </div>
      {recorded && <Alert tone="success">{t('measures.recorded')}</Alert>}
      {measures.isPending && <p role="status">{t('common.loading')}</p>}
      {measures.isError && (
        <div className="flex flex-col items-start gap-3">
          <Alert>{errorMessage(measures.error, t)}</Alert>
          <button type="button" className={secondaryButton} onClick={() => void measures.refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {measures.isSuccess && byInstrument.size === 0 && <p className="text-slate-600">{t('measures.none')}</p>}
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <PainChart patientId={patientId} />
        {[...byInstrument.values()].map((list) => (
          <ScoreChart key={list[0]!.instrument} measures={list} />
        ))}
      </div>
      {episodeRows.map((episode) => (
        <OutcomesTable key={episode.id} episode={episode} onRecord={() => startRecording(episode.id)} />
      ))}
      {recording && (
        <MeasureDialog
          patientId={patientId}
          episodes={episodeRows}
          episodeId={recording.episodeId}
          onClose={() => setRecording(null)}
          onRecorded={() => {
            setRecording(null);
            setRecorded(true);
          }}
        />
      )}
    </section>
  );
}

/**
 * "Download the clinical history (PDF)", in the language the app is shown in. A very long
 * history comes in parts (the server renders 200 entries at a time): the first download says
 * how many, and a button per further part appears.
 */
export function HistoryPdfButton({ patientId }: { patientId: string }) {
  const { t, locale } = useI18n();
  const [parts, setParts] = useState(1);
  const download = useMutation({
    mutationFn: (part: number) => downloadClinicalHistoryPdf(patientId, locale === 'en' ? 'en' : 'es', part),
    onSuccess: (file) => {
      setParts(file.parts);
      saveFile(file);
    },
  });
  const label = (part: number) => (parts === 1 ? t('measures.pdf.download') : t('records.pdf.part', { part, parts }));
  return (
    <div className="flex flex-col items-end gap-2">
      {parts > 1 && <p className="text-sm text-slate-700">{t('records.pdf.parts', { parts })}</p>}
      <div className="flex flex-wrap justify-end gap-2">
        {Array.from({ length: parts }, (_, index) => index + 1).map((part) => (
          <button
            key={part}
            type="button"
            className={secondaryButton}
            disabled={download.isPending}
            onClick={() => download.mutate(part)}
          >
            {download.isPending && download.variables === part ? t('measures.pdf.downloading') : label(part)}
          </button>
        ))}
      </div>
      {download.error && <Alert>{errorMessage(download.error, t)}</Alert>}
    </div>
  );
}
