import { describe, expect, it } from 'vitest';
import { templatesIn } from '../../test/recordsFixtures';
import { applyTemplate, emptyEntryForm, hasContent, toEntryBody, validateEntry } from './entryForm';

const [assessment, treatment] = templatesIn('es');

describe('entry form', () => {
  it('a template fills only what is empty or still the previous template’s', () => {
    const start = applyTemplate(emptyEntryForm('p-jose'), undefined, assessment);
    expect(start.subjective).toBe('Motivo de consulta:');
    const typed = { ...start, objective: 'Exploración: flexión 60°' };
    const switched = applyTemplate(typed, assessment, treatment);
    expect(switched.subjective).toBe('Cómo llega hoy:');
    expect(switched.objective).toBe('Exploración: flexión 60°');
    expect(switched.assessment).toBe('');
    expect(switched.plan).toBe('Próxima sesión:');
  });

  it('only the template is not content worth saving', () => {
    const start = applyTemplate(emptyEntryForm('p-jose'), undefined, assessment);
    expect(hasContent(start, assessment)).toBe(false);
    expect(hasContent({ ...start, painVas: '3' }, assessment)).toBe(true);
    expect(hasContent({ ...start, plan: 'Objetivos y plan: x' }, assessment)).toBe(true);
  });

  it('sends empty sections as null and the pain as a number', () => {
    const body = toEntryBody({ ...emptyEntryForm('p-jose', { appointmentId: 'a-1', date: '2026-12-03' }), painVas: '0', plan: '  ' });
    expect(body).toMatchObject({ type: 'treatment', date: '2026-12-03', appointmentId: 'a-1', episodeId: null, plan: null, painVas: 0 });
  });

  it.each([
    ['11', true],
    ['-1', true],
    ['2.5', true],
    ['10', false],
    ['', false],
  ])('pain %s is wrong: %s', (painVas, wrong) => {
    const errors = validateEntry({ ...emptyEntryForm('p-jose', { date: '2026-12-03' }), painVas }, '2026-12-03');
    expect(!!errors.painVas).toBe(wrong);
  });

  it('refuses a date in the future or that does not exist', () => {
    expect(validateEntry({ ...emptyEntryForm('p-jose'), date: '2026-12-04' }, '2026-12-03').date).toBe('records.errors.futureDate');
    expect(validateEntry({ ...emptyEntryForm('p-jose'), date: '2026-02-30' }, '2026-12-03').date).toBe('records.errors.date');
  });
});
