import { focusManager, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createQueryClient } from './queryClient';
import { pollingOptions } from './usePolling';
import { config } from '../config';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function Poller({ fn, interval }: { fn: () => Promise<number>; interval: number }) {
  useQuery({ queryKey: ['poll-test'], queryFn: fn, ...pollingOptions(interval) });
  return null;
}

afterEach(() => focusManager.setFocused(undefined));

describe('polling', () => {
  // Proves the dashboard polls at the configured interval (VITE_POLL_MS, 5 s by default) and not in the background.
  it('uses the configured interval without background polling', () => {
    expect(config.pollMs).toBe(Number(import.meta.env.VITE_POLL_MS ?? 5000));
    expect(pollingOptions()).toMatchObject({ refetchInterval: config.pollMs, refetchIntervalInBackground: false });
  });

  // Proves interval ticks never start a request while the previous one is still running.
  it('never overlaps requests', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let started = 0;
    const fn = async () => {
      started += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(120); // slower than the 30 ms interval
      inFlight -= 1;
      return started;
    };
    const client = createQueryClient({ retry: false });
    const { unmount } = render(
      <QueryClientProvider client={client}>
        <Poller fn={fn} interval={30} />
      </QueryClientProvider>,
    );
    await sleep(650);
    unmount();
    client.clear();
    expect(started).toBeGreaterThan(1);
    expect(maxInFlight).toBe(1);
  });

  // Proves polling pauses while the tab is hidden and resumes with a refresh when it is shown again.
  it('pauses while hidden', async () => {
    let calls = 0;
    const fn = async () => ++calls;
    const client = createQueryClient({ retry: false });
    const { unmount } = render(
      <QueryClientProvider client={client}>
        <Poller fn={fn} interval={25} />
      </QueryClientProvider>,
    );
    await sleep(150);
    expect(calls).toBeGreaterThan(1);
    focusManager.setFocused(false); // what a `visibilitychange` to hidden does
    await sleep(40);
    const whileHidden = calls;
    await sleep(200);
    expect(calls).toBe(whileHidden);
    focusManager.setFocused(true);
    await sleep(100);
    expect(calls).toBeGreaterThan(whileHidden);
    unmount();
    client.clear();
  });
});
