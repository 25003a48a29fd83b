/**
 * One labelled text input of a form, with its optional hint and its error, wired for assistive technology
 * (aria-invalid, aria-describedby naming the hint and the error). The forms keep their own state and validation.
 */
export function TextField({
  id,
  label,
  name,
  value,
  maxLength,
  hint,
  error,
  onChange,
  onBlur,
}: {
  id: string;
  label: string;
  name?: string;
  value: string;
  maxLength: number;
  hint?: string;
  error?: string | null;
  onChange: (value: string) => void;
  onBlur?: () => void;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-err` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        value={value}
        autoComplete="off"
        spellCheck={false}
        maxLength={maxLength}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-err`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
