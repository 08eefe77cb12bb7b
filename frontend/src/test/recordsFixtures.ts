import type { Entry, Episode, RecordTemplate, SessionWithoutNote } from '../api/records';
import type { SessionUser } from '../auth/types';
import { appointmentTypesReply } from './appointmentFixtures';
import { FakeServer, type FakeReply, type FakeRequest, problem } from './fakeServer';
import { patientRecord, practitioner, signedIn } from './fixtures';

// The records API (issue 13) as services/records answers it, by the fake gateway.

/** A page of any collection (`next` when another page exists). */
export function page<T>(member: T[], next = false, path = '/api/records'): FakeReply {
  return {
    status: 200,
    body: { member, view: { first: `${path}?page=1`, ...(next ? { next: `${path}?page=2` } : {}) } },
  };
}

/**
 * A whole collection served as the services page it (`clinic_shared/pagination.py`): `page` ≥ 1
 * and `itemsPerPage` 1–100 (15 unless asked; the fake server refuses more than 100), and
 * a `next` link in `view` only when another page exists. For lists the app must read to the end.
 */
export function paged<T>(rows: T[], path: string): (request: FakeRequest) => FakeReply {
  return (request) => {
    const number = Number(request.params.page ?? 1);
    const size = Number(request.params.itemsPerPage ?? 15);
    if (!Number.isInteger(number) || number < 1 || !Number.isInteger(size) || size < 1) return problem(422);
    const start = (number - 1) * size;
    const link = (to: number) => `${path}?page=${to}&itemsPerPage=${size}`;
    const view = {
      first: link(1),
      ...(number > 1 ? { previous: link(number - 1) } : {}),
      ...(rows.length > start + size ? { next: link(number + 1) } : {}),
    };
    return { status: 200, body: { member: rows.slice(start, start + size), view } };
  };
}

/** A signed treatment note of José's by Laura. */
export function entryRecord(overrides: Partial<Entry> = {}): Entry {
  return {
    id: 'e-1',
    patientId: 'p-jose',
    episodeId: 'ep-1',
    appointmentId: null,
    type: 'treatment',
    date: '2026-12-02',
    status: 'signed',
    authorId: 'u-laura',
    subjective: 'Menos dolor al levantarse.',
    objective: 'Flexión lumbar 60°.',
    assessment: 'Mejora progresiva.',
    plan: 'Continuar ejercicios.',
    painVas: 4,
    signedBy: 'u-laura',
    signedAt: '2026-12-02T10:00:00Z',
    version: 2,
    amendments: [],
    ...overrides,
  };
}

export function episodeRecord(overrides: Partial<Episode> = {}): Episode {
  return {
    id: 'ep-1',
    patientId: 'p-jose',
    practitionerId: 'u-laura',
    reason: 'Lumbalgia mecánica',
    bodyRegion: 'lumbar',
    openedOn: '2026-11-20',
    dischargedOn: null,
    dischargeReason: null,
    retainUntil: null,
    version: 1,
    entries: [],
    ...overrides,
  };
}

export function templatesIn(lang: 'es' | 'en'): RecordTemplate[] {
  const es = lang === 'es';
  return [
    {
      type: 'assessment',
      lang,
      subjective: es ? 'Motivo de consulta:' : 'Reason for visit:',
      objective: es ? 'Exploración:' : 'Examination:',
      assessment: es ? 'Diagnóstico fisioterápico:' : 'Physiotherapy diagnosis:',
      plan: es ? 'Objetivos y plan:' : 'Goals and plan:',
    },
    {
      type: 'treatment',
      lang,
      subjective: es ? 'Cómo llega hoy:' : 'How they arrive today:',
      objective: es ? 'Técnicas aplicadas:' : 'Techniques applied:',
      assessment: null,
      plan: es ? 'Próxima sesión:' : 'Next session:',
    },
    { type: 'evolution', lang, subjective: null, objective: null, assessment: null, plan: null },
    { type: 'discharge', lang, subjective: null, objective: null, assessment: null, plan: null },
    { type: 'note', lang, subjective: null, objective: null, assessment: null, plan: null },
  ];
}

export function sessionWithoutNote(overrides: Partial<SessionWithoutNote> = {}): SessionWithoutNote {
  return {
    appointmentId: 'a-7',
    practitionerId: 'u-laura',
    patientId: 'p-jose',
    patientName: 'José García Núñez',
    startsAt: '2026-12-03T09:00:00Z',
    ...overrides,
  };
}

export const practitionersReply: FakeReply = {
  status: 200,
  body: { member: [{ id: 'u-laura', fullName: 'Laura Martínez', color: '#2563eb' }, { id: 'u-pablo', fullName: 'Pablo Ruiz', color: null }] },
};

/** What the patient page and the SOAP form ask, for `user`; records routes answer as given. */
export function recordsServer(user: SessionUser = practitioner): FakeServer {
  return new FakeServer()
    .on('POST /api/token/refresh', { status: 200, body: signedIn(user) })
    .on('GET /api/patients/p-jose', {
      status: 200,
      body: patientRecord(),
      headers: { etag: '"1"' },
    })
    .on('GET /api/appointment-types', appointmentTypesReply)
    .on('GET /api/appointments', { status: 200, body: { member: [], view: { first: '' } } })
    .on('GET /api/practitioners', practitionersReply)
    .on('GET /api/records', page([]))
    .on('GET /api/episodes', paged([episodeRecord()], '/api/episodes'))
    .on('GET /api/measures', paged([], '/api/measures'))
    .on('GET /api/records/pain', { status: 200, body: { patientId: 'p-jose', episodeId: null, points: [] } })
    .on('GET /api/episodes/ep-1/outcomes', {
      status: 200,
      body: { episodeId: 'ep-1', patientId: 'p-jose', openedOn: '2026-11-20', dischargedOn: null, outcomes: [] },
    })
    .on('GET /api/record-templates', (request) => ({
      status: 200,
      body: templatesIn(request.params.lang === 'en' ? 'en' : 'es'),
    }));
}

/** Whether `url` is one of the records service's (clinical content or its metadata). */
export function isRecordsUrl(url: string): boolean {
  return /^\/api\/(records|episodes|record-templates|measures)/.test(url);
}
