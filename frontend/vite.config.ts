/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, searchForWorkspaceRoot } from 'vite';

// The repository's translations/ folder (the gateway reads it too) has every string (src/i18n).
const translations = fileURLToPath(new URL('../translations', import.meta.url));
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), translations] },
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
      '/.well-known': { target: gateway, changeOrigin: false },
    },
  },
  build: {
    // The gateway's CSP allows no inline script: keep every module in a file.
    assetsInlineLimit: 0,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate, long-cached chunks.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|use-sync-external-store)[\\/]/ },
            // Only the calendar page needs FullCalendar (and its Preact): its own lazy chunk.
            { name: 'fullcalendar', test: /node_modules[\\/](@fullcalendar|preact)[\\/]/ },
            // Only the outcome-measure charts of the clinical history need Recharts and what it
            // brings (redux, immer, d3 via victory-vendor…): its own lazy chunk, out of `vendor`.
            // A group takes its modules' dependencies too, so use-sync-external-store (React's
            // shim, which the router's store also uses) goes with React above: else the entry
            // would import the Recharts chunk for it.
            {
              name: 'recharts',
              test: /node_modules[\\/](recharts|@reduxjs|react-redux|redux|redux-thunk|immer|reselect|es-toolkit|eventemitter3|decimal\.js-light|tiny-invariant|victory-vendor|d3-[a-z-]+|internmap|react-is)[\\/]/,
            },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
