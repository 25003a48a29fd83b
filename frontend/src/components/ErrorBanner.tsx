import { clockTime } from '../lib/format';

interface ErrorBannerProps {
  message: string;
  lastSuccessAt: number | null;
}

/** Shown while the API cannot be reached; the data already on screen stays there. */
export function ErrorBanner({ message, lastSuccessAt }: ErrorBannerProps) {
  return (
    <div className="banner banner-error" role="alert">
      <span aria-hidden="true">⚠</span>{' '}
      <strong>API unreachable:</strong> {message}.{' '}
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
