import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The marketer console: served under /console by the local gateway and by
 * CloudFront in the cloud, so every asset URL starts there. Pages load on
 * demand, so the first screen carries only the shell.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
});
