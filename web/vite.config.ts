import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig, type Plugin } from 'vite';

const nhsImages = fileURLToPath(
  new URL('../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/', import.meta.url),
);

/** The NHS stylesheet refers to its icons at /assets/images/; ship them there. */
function nhsukImages(): Plugin {
  return {
    name: 'nhsuk-images',
    generateBundle() {
      for (const file of readdirSync(nhsImages).filter((name) => name.endsWith('.svg'))) {
        this.emitFile({
          type: 'asset',
          fileName: `assets/images/${file}`,
          source: readFileSync(nhsImages + file),
        });
      }
    },
  };
}

/**
 * The NHS stylesheet loads its Frutiger font from an NHS host. A self-hosted Vantage makes no calls
 * from staff browsers to anywhere else (and often cannot), so those rules go; Arial is the fallback.
 */
function noRemoteFonts(): Plugin {
  return {
    name: 'no-remote-fonts',
    transform(code, id) {
      if (!id.includes('nhsuk-frontend') || !id.split('?')[0]?.endsWith('.css')) return undefined;
      return { code: code.replace(/@font-face\{[^}]*https?:\/\/[^}]*\}/g, ''), map: null };
    },
  };
}

// The stylesheet's /assets/images/ URLs are served by the plugin above, so Vite's notice about them is noise.
const logger = createLogger();
const warnOnce = logger.warnOnce;
logger.warnOnce = (message, options) => {
  if (!message.includes('/assets/images/nhsuk-icon-')) warnOnce(message, options);
};

export default defineConfig({
  customLogger: logger,
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [nhsukImages(), noRemoteFonts()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // nhsuk-frontend ships minified CSS whose old-browser hacks the minifier rejects; ours is tiny.
    cssMinify: false,
  },
  server: {
    // `vite --config web/vite.config.ts` for development, beside `vantage serve` on its default port.
    proxy: { '/api': 'http://127.0.0.1:8080', '/readyz': 'http://127.0.0.1:8080' },
  },
});
