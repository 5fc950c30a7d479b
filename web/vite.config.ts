/**
 * One Vite build for the three front ends (SPEC §2): the wallet (served at /app/), the POS
 * page (/pos/) and the operations console (/console/). Each is a page of one multi-page
 * build so they share hashed chunks under /assets/, which the server caches forever.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  // Copied as is: the wallet's manifest and icons, at stable (unhashed) URLs.
  publicDir: here('public'),
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // Every browser the wallet supports loads module preloads natively.
    modulePreload: { polyfill: false },
    // Budget check for a phone on a slow network, not a hard limit.
    chunkSizeWarningLimit: 150,
    rolldownOptions: {
      input: {
        wallet: here('wallet/index.html'),
        pos: here('pos/index.html'),
        console: here('console/index.html'),
        // The service worker must live at a fixed URL under /app/ to control that scope.
        'wallet-sw': here('wallet/sw.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'wallet-sw' ? 'wallet/sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
