/**
 * Draws the wallet's icons: one SVG (the source, also served as the favicon) and the PNG
 * sizes that install prompts and home screens ask for, rasterised by the same headless
 * Chromium the browser tests use. The outputs are committed; run this again only when the
 * design changes: `npx tsx scripts/make-icons.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from '../test/browser/chromium.js';

const OUT = join(import.meta.dirname, '..', 'web', 'public', 'wallet', 'icons');
const GREEN = '#0b5d3b';

/** A white yen sign in strokes (no font needed), inside the maskable safe zone (the middle 80 %). */
const GLYPH = `<g fill="none" stroke="#fff" stroke-width="44" stroke-linecap="round" stroke-linejoin="round">
<path d="M164 120 256 248 348 120M256 248V400M180 272H332M180 340H332"/></g>`;

/** `rounded`: the everyday icon; square: the maskable one, which the platform crops itself. */
const svg = (rounded: boolean) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="${rounded ? 112 : 0}" fill="${GREEN}"/>${GLYPH}</svg>`;

const browser = await launchChromium();
try {
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, 'icon.svg'), `${svg(true)}\n`);
  const page = await browser.newPage();
  for (const [name, size, rounded] of [['icon-192.png', 192, true], ['icon-512.png', 512, true], ['icon-maskable-512.png', 512, false]] as const) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg(rounded)}`);
    await page.screenshot({ path: join(OUT, name), omitBackground: true });
  }
} finally {
  await browser.close();
}
