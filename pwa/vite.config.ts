import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';

const swEntry = fileURLToPath(new URL('./src/sw/index.ts', import.meta.url));

// Phones in the field are old: iOS 13 Safari and Chrome 80 era browsers must still run the shell.
const TARGETS = ['es2019', 'chrome80', 'edge80', 'firefox78', 'safari13'];

/**
 * A gzip and a Brotli copy beside each text file of the build (api/spa.py serves the one the browser
 * accepts): the member shell crosses a slow link at about a third of its size, compressed once here
 * at the strongest settings instead of per request. Runs after the service worker is written.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
  return {
    name: 'ehandbook:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const path of files(outDir)) {
          if (!/\.(js|css|html|webmanifest|svg)$/.test(path)) continue;
          const source = readFileSync(path);
          if (source.length < 1024) continue; // a header or two would cost more than it saves
          writeFileSync(`${path}.gz`, gzipSync(source, { level: 9 }));
          writeFileSync(
            `${path}.br`,
            brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } }),
          );
        }
      },
    },
  };
}

export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    target: TARGETS,
    // One entry chunk and no <link rel="modulepreload"> in the HTML: the polyfill would be dead weight.
    modulePreload: { polyfill: false },
    // Fonts or images inlined as data: URIs would be fine under the CSP, but keep assets as files.
    assetsInlineLimit: 0,
  },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      // The page registers the worker itself (src/app/sw-update.ts): no injected script, inline or not.
      injectRegister: false,
      registerType: 'prompt',
      // Served at /sw.js so its scope is the whole app. vite-plugin-pwa names the output after the
      // source file, so the source is pointed at src/sw/index.ts just before the worker is built.
      srcDir: 'src/sw',
      filename: 'sw.js',
      integration: {
        beforeBuildServiceWorker(options) {
          options.swSrc = swEntry;
        },
      },
      injectManifest: {
        rollupFormat: 'iife', // a classic worker: module service workers are too new for some phones
        target: TARGETS,
        globPatterns: ['**/*.{html,js,css}'],
      },
      includeManifestIcons: false, // the launcher fetches icons itself; do not spend the precache on them
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        id: '/',
        name: 'Sổ tay Đảng viên',
        short_name: 'Sổ tay ĐV',
        description: 'Sổ tay Đảng viên điện tử của Đảng bộ tỉnh Đồng Nai',
        lang: 'vi',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#b3121b',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
    precompress(),
  ],
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
