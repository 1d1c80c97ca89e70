import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  // The dashboard route is lazy; its chunk is ECharts' core with bar/pie charts and the SVG renderer
  // (about 550 kB minified, 185 kB gzipped) and loads only on /staff/dashboard. Source maps are 'hidden'
  // (no sourceMappingURL comment) and the server refuses *.map unless DEV_TOOLS=on.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: 'hidden', chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' } },
});
