import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The built entry points suites run as real processes (`npm test` builds dist/ before jest). */
export const API_MAIN = `${ROOT}dist/apps/api/src/main.js`;
export const WORKER_MAIN = `${ROOT}dist/apps/worker/src/main.js`;

/** Runs `tsc -p tsconfig.build.json` unless dist/ is newer than every source file of apps/ and libs/. */
export function ensureBuilt(): void {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return entry.name === 'node_modules' ? latest : Math.max(latest, newest(path));
      return entry.name.endsWith('.ts') ? Math.max(latest, statSync(path).mtimeMs) : latest;
    }, 0);
  const sources = Math.max(newest(`${ROOT}apps`), newest(`${ROOT}libs`));
  const built = [API_MAIN, WORKER_MAIN].every((main) => existsSync(main) && statSync(main).mtimeMs > sources);
  if (!built) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

/** Compiles the partner example's page (browser ES modules, with the SDK) into dist/partner-example/public. */
export function buildPartnerExamplePage(): void {
  execFileSync('npx', ['tsc', '-p', 'apps/partner-example/src/page/tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
}
