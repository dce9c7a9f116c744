/**
 * `npm test` and `npm run demo` start here: installs exactly what package-lock.json pins
 * (`npm ci`) when node_modules is missing or does not match it, and does nothing otherwise.
 * Never `npm install`, which may rewrite package-lock.json. When package.json and the lockfile
 * disagree, `npm ci` refuses with its own message and the command fails.
 *
 * Plain Node (no TypeScript): on a fresh clone tsx is not installed yet.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

/** Why node_modules must be (re)installed, or undefined when it matches the lockfile. */
function staleReason(pkg, lock, installed) {
  const declared = lock.packages?.[''] ?? {};
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    if (!sameEntries(pkg[field], declared[field])) return `package.json's ${field} differ from package-lock.json`;
  }
  if (!installed) return 'node_modules is missing';
  const locked = lock.packages ?? {};
  const present = installed.packages ?? {};
  for (const [name, entry] of Object.entries(locked)) {
    if (name === '' || entry.link) continue;
    // optional packages for other platforms (e.g. @esbuild/darwin-arm64) are never installed
    if (!present[name]) {
      if (entry.optional) continue;
      return `${name} is not installed`;
    }
    if (present[name].version !== entry.version) return `${name} is ${present[name].version}, the lockfile pins ${entry.version}`;
  }
  for (const name of Object.keys(present)) if (!locked[name]) return `${name} is installed but not in the lockfile`;
  return undefined;
}

function sameEntries(a = {}, b = {}) {
  const sorted = (o) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}

function main() {
  const hidden = path.join(root, 'node_modules', '.package-lock.json');
  const installed = fs.existsSync(hidden) ? readJson('node_modules/.package-lock.json') : undefined;
  const reason = staleReason(readJson('package.json'), readJson('package-lock.json'), installed);
  if (!reason) return;
  console.log(`${reason}: npm ci`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}

main();
