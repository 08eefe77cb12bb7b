import { describe, expect, it } from 'vitest';
import { weekStateOf } from './useCalendarData';

// Issue 14, defect 6: a week that could not be read must never be drawn as a free one.
const query = (over: Partial<Parameters<typeof weekStateOf>[0]>) =>
  weekStateOf({ data: undefined, isPlaceholderData: false, isError: false, ...over });

describe('weekStateOf', () => {
  it('is loading until the range’s own appointments are in', () => {
    expect(query({})).toBe('loading');
    // The previous range's appointments, kept while the next loads, are not this range's.
    expect(query({ data: [], isPlaceholderData: true })).toBe('loading');
    expect(query({ data: [] })).toBe('ready');
  });

  it('is an error when the range could not be read at all, a retry included', () => {
    expect(query({ isError: true })).toBe('error');
  });

  it('is only stale when a refresh of a range on screen failed', () => {
    expect(query({ data: [], isError: true })).toBe('stale');
  });
});
