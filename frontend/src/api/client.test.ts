import { describe, expect, it, vi } from 'vitest';
import { __test__ } from '../config';
import { installFakeApi, problem } from '../test/fakeApi';
import { ApiError, api, nextLink } from './client';

describe('api client', () => {
  // Proves a problem+json refusal becomes an ApiError carrying status, detail and field errors.
  it('turns problem+json into ApiError', async () => {
    const fake = installFakeApi();
    fake.override('POST', '/api/stores', () =>
      problem(400, { title: 'Validation failed', detail: 'One or more fields are invalid.', errors: { storeName: ['Too short.'] } }),
    );
    const err = await api.createStore({ storeName: 'ab', userId: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toBe('One or more fields are invalid.');
    expect((err as ApiError).problem?.errors).toEqual({ storeName: ['Too short.'] });
  });

  // Proves a network failure is reported as "Cannot reach the API" with status 0.
  it('reports unreachable API', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const err = (await api.listStores().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.message).toBe('Cannot reach the API');
  });

  // Proves a bare 5xx from the dev/preview proxy (backend down) reads as unreachable.
  it('treats an empty 502 as unreachable', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('', { status: 502 })));
    const err = (await api.metrics().catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe('Cannot reach the API (HTTP 502)');
  });

  // Proves request shapes: JSON bodies, rollback revision, and activity query parameters.
  it('sends the contract request shapes', async () => {
    const fake = installFakeApi();
    await api.createStore({ storeName: 'shop', userId: 'alice', engine: 'medusa' });
    await api.rollbackStore('shop', 2);
    await api.rollbackStore('shop');
    await api.upgradeStore('shop');
    await api.activity('shop', 20);
    expect(fake.callsTo('POST', '/api/stores')[0].body).toEqual({ storeName: 'shop', userId: 'alice', engine: 'medusa' });
    expect(fake.callsTo('POST', '/api/stores/shop/rollback').map((c) => c.body)).toEqual([{ revision: 2 }, {}]);
    expect(fake.callsTo('POST', '/api/stores/shop/upgrade')[0].body).toEqual({});
    const act = fake.callsTo('GET', '/api/stores/activity')[0];
    expect(act.search.get('store')).toBe('shop');
    expect(act.search.get('limit')).toBe('20');
  });

  // Proves /api/health's 503 body (unhealthy components) is still returned as data.
  it('accepts a 503 health body', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ cluster: { status: 'Unhealthy', message: 'no cluster' } }), { status: 503 })),
    );
    await expect(api.health()).resolves.toEqual({ cluster: { status: 'Unhealthy', message: 'no cluster' } });
  });
});

describe('config parsing', () => {
  // Proves VITE_POLL_MS falls back to 5 s when missing or silly, and VITE_API_BASE loses trailing slashes.
  it('parses env values', () => {
    expect(__test__.parsePollMs(undefined)).toBe(5000);
    expect(__test__.parsePollMs('abc')).toBe(5000);
    expect(__test__.parsePollMs('10')).toBe(5000);
    expect(__test__.parsePollMs('2000')).toBe(2000);
    expect(__test__.normaliseBase('https://api.example.com/')).toBe('https://api.example.com');
    expect(__test__.normaliseBase(undefined)).toBe('');
  });
  // Proves the store list follows the API's pages: each Link rel="next" is fetched until a page comes without one.
  it('loads every page of the store list by following Link rel="next"', async () => {
    const pages: Record<string, { names: string[]; next?: string }> = {
      '': { names: ['c', 'b'], next: '/api/stores?limit=500&cursor=P2' },
      P2: { names: ['a'] },
    };
    const seen: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = new URL(String(input), 'http://localhost');
        seen.push(url.pathname + url.search);
        const page = pages[url.searchParams.get('cursor') ?? ''];
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (page.next) headers.Link = `<${page.next}>; rel="next"`;
        return new Response(JSON.stringify(page.names.map((name) => ({ name }))), { status: 200, headers });
      }),
    );
    const stores = await api.listStores();
    expect(stores.map((s) => s.name)).toEqual(['c', 'b', 'a']);
    expect(seen).toEqual(['/api/stores?limit=500', '/api/stores?limit=500&cursor=P2']);
  });

  // Proves only a rel="next" link is taken from a Link header.
  it('reads rel="next" from a Link header', () => {
    expect(nextLink('</api/stores?cursor=x>; rel="next"')).toBe('/api/stores?cursor=x');
    expect(nextLink('</a>; rel="prev", </api/stores?cursor=y>; rel=next')).toBe('/api/stores?cursor=y');
    expect(nextLink('</a>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});
