/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Functions host (or the e2e TestServer) that /api is proxied to, both by
// `vite` (dev) and by `vite preview`. No CORS setup is needed this way.
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://localhost:7071';

const proxy = {
  '/api': { target: apiTarget, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: { chunkSizeWarningLimit: 1024 },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
    unstubEnvs: true,
  },
});
