import type { InputHTMLAttributes, ReactNode } from 'react';
import { inputClass } from './styles';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  id: string;
  label: string;
  /** The error to show beside the field (already translated). */
  error?: string | undefined;
  hint?: ReactNode;
  /** Replaces the usual input classes (a colour picker needs its own box). */
  inputClassName?: string;
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field({ id, label, error, hint, className = '', inputClassName, ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        className={inputClassName ?? inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint && (
        <p id={hintId} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
