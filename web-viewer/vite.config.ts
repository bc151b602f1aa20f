/**
 * Vite config of the web viewer. Built by `ludus serve`/`ludus start` when web-viewer/dist is
 * missing or stale (cli/viewer-build.ts), and by `npm run build:viewer`. `npm run dev:viewer`
 * serves it with hot reload, proxying the API and the Colyseus sockets to an arena
 * (ARENA=http://127.0.0.1:2567 by default).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const arena = process.env.ARENA ?? 'http://127.0.0.1:2567';

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: {
    host: '127.0.0.1',
    port: 5173,
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': arena, '/docs': arena, '/colyseus': { target: arena, ws: true } },
  },
});
