import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Swagger UI files `/docs` serves, from the `swagger-ui-dist` package (no CDN). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** The page: the package's own layout, with our initializer as a file (no inline script, so a strict CSP holds). */
const PAGE = (title: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${title}</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css">
    <link rel="stylesheet" href="/docs/index.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/swagger-ui-standalone-preset.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

/**
 * Swagger UI reads the document from this server; `validatorUrl: null` keeps it from sending
 * the document to swagger.io, the token given to "Authorize" survives a reload, and operation ids
 * (the function names of generated clients) are shown.
 */
const INIT = (openApiUrl: string) => `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(openApiUrl)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  persistAuthorization: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

/** Where `swagger-ui-dist` is installed, or undefined (it is an optional peer of the HTTP API). */
function swaggerUiDirectory(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * Answers `/docs` and its files: the interactive reference of the job API. Files are read once
 * and kept (the bundle is 1.5 MB; the browser caches it for a day).
 */
export function apiDocsHandler(openApiUrl: string, title = 'ScriptSensei job API') {
  const directory = swaggerUiDirectory();
  const cache = new Map<string, Promise<Buffer>>();
  const read = (name: string) => {
    let file = cache.get(name);
    if (!file) {
      file = readFile(join(directory!, name));
      cache.set(name, file);
      // A failed read (a file removed under a running server) is tried again next time.
      file.catch(() => cache.delete(name));
    }
    return file;
  };
  return async (path: string): Promise<Response | undefined> => {
    if (path === '/docs' || path === '/docs/') {
      if (!directory) {
        const message = 'The API reference needs the swagger-ui-dist package: npm install swagger-ui-dist';
        return Response.json({ error: { code: 'NOT_FOUND', message, retryable: false }, detail: message }, { status: 404 });
      }
      return new Response(PAGE(title), { headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'no-cache' } });
    }
    if (path === '/docs/init.js' && directory) return new Response(INIT(openApiUrl), { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' } });
    const name = path.startsWith('/docs/') ? path.slice('/docs/'.length) : undefined;
    const type = name && Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!directory || !name || !type) return undefined;
    return new Response(new Uint8Array(await read(name)), { headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' } });
  };
}
