import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The marketer console: served under /console by the local gateway and by
 * CloudFront in the cloud, so every asset URL starts there. Pages load on
 * demand, so the first screen carries only the shell.
 */
export default defineConfig(({ command }) => ({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  // A build is for people: React's production build, even when the build runs
  // inside the test runner, whose NODE_ENV=test would otherwise ship React's
  // development build (half as big again, and slower).
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
}));
