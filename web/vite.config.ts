import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  // The dashboard route is lazy; its chunk is ECharts' core with bar/pie charts and the SVG renderer
  // (about 550 kB minified, 185 kB gzipped) and loads only on /staff/dashboard.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' } },
});
