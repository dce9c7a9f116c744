/**
 * The back office build. `npm run build:backoffice` writes backoffice/dist (served by the server
 * at `/`); `npm run dev:backoffice` serves it with hot reload and proxies /api to the server.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  // one preact for the form-js editor, the form-js viewer and the properties panel: the editor
  // ships its own older copy, and hooks of one copy inside components of the other crash the
  // "Formulare" tab ("Cannot read properties of undefined (reading 'context')")
  resolve: { dedupe: ['preact'] },
  // the manifest lets tools/bundle-size.ts tell the first load from the lazy chunks
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000, sourcemap: false, manifest: true },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': {
        target: api,
        changeOrigin: true,
        // the server refuses cookie-authenticated changes from another origin: the dev server
        // is a trusted proxy, so present the request as same-origin
        configure: (proxy) => proxy.on('proxyReq', (req) => req.setHeader('origin', api)),
      },
    },
  },
});
