import { clockTime } from '../lib/format';

interface ErrorBannerProps {
  /** What kind of failure: the default is an outage; "Refused" for a 403/429 answer. */
  title?: string;
  message: string;
  lastSuccessAt: number | null;
}

/** Shown while the API cannot be reached (or refuses); the data already on screen stays there. */
export function ErrorBanner({ title = 'API unreachable', message, lastSuccessAt }: ErrorBannerProps) {
  return (
    <div className="banner banner-error" role="alert">
      <span aria-hidden="true">⚠</span>{' '}
      <strong>{title}:</strong> {message}.{' '}
      {lastSuccessAt ? (
        <>
          Showing data from the last successful refresh at{' '}
          <time dateTime={new Date(lastSuccessAt).toISOString()}>{clockTime(lastSuccessAt)}</time>.
        </>
      ) : (
        <>No data has been loaded yet.</>
      )}{' '}
      Retrying automatically.
    </div>
  );
}
