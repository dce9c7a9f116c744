/**
 * The residents' portal build. `npm run build:portal` writes portal/dist (served by the server at
 * `/portal/`); `npm run dev:portal` serves it with hot reload and proxies /api to the server.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/portal/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
  server: {
    host: '127.0.0.1',
    port: 5174,
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
