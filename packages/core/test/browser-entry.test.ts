import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

// The main entry goes into browser bundles: bundling it for the browser must succeed (esbuild
// refuses `node:` modules there) and must not contain the identity code.
describe('the browser entry', () => {
  it('bundles for the browser without anything from node:', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((file) => file.endsWith('src/identity.ts'))).toBe(false);
    // Canonical JSON serves signing only, so it stays out of browser bundles too.
    expect(inputs.some((file) => file.includes('canonical'))).toBe(false);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
    expect(code).toContain('resolveToggleButton');
    expect(code).toContain('ownerKeyForEmail');
  });

  it('the Node entry does need node:crypto, so the test above can fail', async () => {
    await expect(
      build({
        entryPoints: [fileURLToPath(new URL('../src/node.ts', import.meta.url))],
        bundle: true,
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      }),
    ).rejects.toThrow(/node:crypto/);
  });
});
