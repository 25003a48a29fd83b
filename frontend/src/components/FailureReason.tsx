import { useId, useState } from 'react';

const LIMIT = 140;

/** The server's failure reason; long ones (helm output) are shortened with a keyboard-reachable toggle. */
export function FailureReason({ text }: { text: string }) {
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  const long = text.length > LIMIT;
  const shown = !long || expanded ? text : `${text.slice(0, LIMIT).trimEnd()}…`;
  return (
    <span className="failure-reason">
      <span className="visually-hidden">Failure reason: </span>
      <span id={id}>{shown}</span>
      {long && (
        <>
          {' '}
          <button
            type="button"
            className="link-button"
            aria-expanded={expanded}
            aria-controls={id}
            onClick={() => setExpanded((e) => !e)}
          >
            {expanded ? 'Show less' : 'Show full reason'}
          </button>
        </>
      )}
    </span>
  );
}
