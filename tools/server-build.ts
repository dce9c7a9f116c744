/**
 * Bundles the server (server/main.ts with what it imports from workers/, model/, processes/ and
 * migrations/) into dist/server/main.mjs with esbuild; npm packages stay external. Production
 * (`npm start`), the demo, the integration tests and the benchmark all run this bundle with plain
 * node. Running the TypeScript sources through `node --import tsx` instead costs a loader thread
 * and its caches: about 30 MB more resident memory in the server.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../server/config/config';

export const serverBundle = path.join(projectRoot, 'dist', 'server', 'main.mjs');

/**
 * node's arguments for the server (the same as in package.json's `start` script). V8 lets the
 * heap grow to about twice the live data between full collections, and under load the server
 * then peaked near 260 MB. A young generation of at most 2 × 8 MB (default 2 × 16 MB) and old
 * generation growth of 30 % per collection keep it under 200 MB, for more, shorter collections.
 */
export const serverNodeArgs = ['--enable-source-maps', '--max-semi-space-size=8', '--heap-growing-percent=30', serverBundle];

let building: Promise<string> | undefined;

/** Builds the bundle once per process; written to a temporary file and renamed, so a server starting meanwhile never reads half a file. */
export function buildServer(): Promise<string> {
  building ??= (async () => {
    const result = await build({
      entryPoints: [path.join(projectRoot, 'server', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      sourcemap: 'linked',
      outfile: serverBundle,
      write: false,
      logLevel: 'warning',
    });
    fs.mkdirSync(path.dirname(serverBundle), { recursive: true });
    for (const file of result.outputFiles) {
      const tmp = `${file.path}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, file.contents);
      fs.renameSync(tmp, file.path);
    }
    return serverBundle;
  })();
  return building;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildServer().then(
    (file) => console.log(`server bundle: ${path.relative(projectRoot, file)}`),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
