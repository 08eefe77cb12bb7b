import type {
  InputHTMLAttributes,
  ReactNode,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from 'react';
import { inputClass } from './styles';

interface LabelledProps {
  id: string;
  label: string;
  /** The error to show beside the field (already translated). */
  error?: string | undefined;
  hint?: ReactNode;
}

type FieldProps = LabelledProps &
  InputHTMLAttributes<HTMLInputElement> & {
    /** Replaces the usual input classes (a colour picker needs its own box). */
    inputClassName?: string;
  };

/** The ids of the hint and error of field `id`, as its `aria-describedby`. */
function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.join(' ') || undefined;
}

function Notes({ id, hint, error }: Pick<LabelledProps, 'id' | 'hint' | 'error'>) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </>
  );
}

function Label({ id, label }: Pick<LabelledProps, 'id' | 'label'>) {
  return (
    <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
      {label}
    </label>
  );
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field({ id, label, error, hint, className = '', inputClassName, ...input }: FieldProps) {
  return (
    <div className={className}>
      <Label id={id} label={label} />
      <input
        id={id}
        className={inputClassName ?? inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
      <Notes id={id} hint={hint} error={error} />
    </div>
  );
}

type SelectFieldProps = LabelledProps & SelectHTMLAttributes<HTMLSelectElement>;

/** A labelled select, like Field. */
export function SelectField({ id, label, error, hint, className = '', children, ...select }: SelectFieldProps) {
  return (
    <div className={className}>
      <Label id={id} label={label} />
      <select
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {children}
      </select>
      <Notes id={id} hint={hint} error={error} />
    </div>
  );
}

type TextAreaFieldProps = LabelledProps & TextareaHTMLAttributes<HTMLTextAreaElement>;

/** A labelled multi-line text box, like Field. */
export function TextAreaField({ id, label, error, hint, className = '', ...area }: TextAreaFieldProps) {
  return (
    <div className={className}>
      <Label id={id} label={label} />
      <textarea
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...area}
      />
      <Notes id={id} hint={hint} error={error} />
    </div>
  );
}
