import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The installed copy of `name` that the package in `fromDir` gets: Node's lookup upwards. */
function installedDir(name: string, fromDir: string, rootDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === rootDir || dirname(dir) === dir) return null;
  }
}

/**
 * Every package installed because one of `roots` depends on it, directly or through its own
 * dependencies, as `name@version`: peers are not followed, they are the host's own choice (its
 * NestJS, its Vue). The version matters: helperkit's `file-type` 21 and NestJS's 22 are both there.
 */
export function dependencyClosure(rootDir: string, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    const dir = installedDir(name, fromDir, rootDir);
    if (dir === null || seen.has(dir)) return;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const deps = { ...manifest.dependencies, ...manifest.optionalDependencies };
    Object.keys(deps).forEach((dependency) => visit(dependency, dir));
  };
  roots.forEach((root) => visit(root, rootDir));
  return new Set(
    [...seen].map((dir) => {
      const { name, version } = JSON.parse(
        readFileSync(join(dir, 'package.json'), 'utf8'),
      ) as Manifest;
      return `${name}@${version}`;
    }),
  );
}

/** The packages npm named in its EBADENGINE warnings, as `name@version` (`file-type@22.3.0`). */
export const engineWarnedPackages = (npmOutput: string): string[] =>
  [...npmOutput.matchAll(/EBADENGINE\s+package: '((?:@[^/']+\/)?[^@']+@[^']*)'/g)].map(
    (match) => match[1]!,
  );
