/**
 * Builds the web app into `ui/dist`, which the gateway serves at `/`. JSX is compiled for Preact by
 * Vite's own transformer (no framework plugin needed). In development (`vite ui`), API calls are
 * proxied to a gateway on port 8080.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // ECharts alone is ~500 kB minified even when tree-shaken; it is loaded in its own chunk, only by chart pages.
    chunkSizeWarningLimit: 900,
    reportCompressedSize: false,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/auth', '/health', '/openapi.json'].map((p) => [p, gateway])),
  },
});
