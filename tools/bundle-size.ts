/**
 * First-load size of a Vite build, from its manifest (`build.manifest: true`):
 * `tsx tools/bundle-size.ts [distDir ...]` (default: backoffice/dist).
 *
 * The first load is index.html, its entry chunk and every chunk the entry imports statically,
 * with their CSS; chunks reached only through `import()` (lazy routes) are listed apart.
 * Sizes are gzip (zlib default level, as Vite's own report).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface BundleReport {
  dist: string;
  html: number;
  js: number;
  css: number;
  /** files of the first load (relative to dist) */
  files: string[];
  /** every other JS/CSS file of the build, loaded later (lazy) */
  lazy: { js: number; css: number };
  /** those files (relative to dist) */
  lazyFiles: string[];
}

const gzipSize = (file: string) => gzipSync(fs.readFileSync(file)).length;

/** Manifest keys reachable from `key` through static imports (the key itself included). */
function staticClosure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) staticClosure(manifest, dep, seen);
  return seen;
}

export function bundleReport(dist: string): BundleReport {
  const manifestFile = path.join(dist, '.vite', 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${manifestFile} is missing: build with build.manifest enabled (vite build --manifest)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const entries = Object.keys(manifest).filter((k) => manifest[k]!.isEntry);
  if (entries.length === 0) throw new Error(`${manifestFile}: no entry chunk`);
  const firstKeys = new Set<string>();
  for (const entry of entries) staticClosure(manifest, entry, firstKeys);
  const first = new Set<string>();
  for (const key of firstKeys) {
    const chunk = manifest[key]!;
    first.add(chunk.file);
    for (const css of chunk.css ?? []) first.add(css);
  }
  const report: BundleReport = { dist, html: gzipSize(path.join(dist, 'index.html')), js: 0, css: 0, files: [...first].sort(), lazy: { js: 0, css: 0 }, lazyFiles: [] };
  for (const file of first) report[file.endsWith('.css') ? 'css' : 'js'] += gzipSize(path.join(dist, file));
  const all = new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]));
  for (const file of all) {
    if (first.has(file) || !/\.(js|css)$/.test(file)) continue;
    report.lazy[file.endsWith('.css') ? 'css' : 'js'] += gzipSize(path.join(dist, file));
    report.lazyFiles.push(file);
  }
  return report;
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

function main(args: string[]) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dists = args.length > 0 ? args : [path.join(root, 'backoffice', 'dist')];
  let failed = false;
  for (const dist of dists) {
    try {
      const r = bundleReport(path.resolve(dist));
      const name = r.dist.startsWith(root + path.sep) ? path.relative(root, r.dist) : r.dist;
      console.log(`${name}: first load (gzip) ${kB(r.html + r.js + r.css)} = index.html ${kB(r.html)} + JS ${kB(r.js)} + CSS ${kB(r.css)} (${r.files.length} files: ${r.files.join(', ')})`);
      console.log(`  loaded later (import()): JS ${kB(r.lazy.js)} + CSS ${kB(r.lazy.css)} in ${r.lazyFiles.length} files`);
    } catch (err) {
      failed = true;
      console.error(`${dist}: ${(err as Error).message}`);
    }
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
