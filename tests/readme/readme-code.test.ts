import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { codeBlocks, displayPath, here, typeErrors, type CodeBlock } from './code-blocks.js';

const testsDir = join(here(import.meta.url), '..');
const root = join(testsDir, '..');
const hostDir = join(here(import.meta.url), 'host');

/** Every README of the repository (the root's, each package's, the demo's) and the docs pages. */
const markdownFiles = [
  join(root, 'README.md'),
  ...['packages', 'apps'].flatMap((folder) =>
    readdirSync(join(root, folder)).map((name) => join(root, folder, name, 'README.md')),
  ),
  ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name)),
].filter((path) => existsSync(path));

const blocks = markdownFiles.flatMap((path) => codeBlocks(path, displayPath(root, path)));

/** A block that must fail, checked in the same run, so the check is known to report errors. */
const BROKEN: CodeBlock = {
  origin: 'a broken example:1',
  code: "import { HelperModule } from '@helperkit/nest';\nHelperModule.forRoot({ hmacSecrets: 'one' });",
  fragment: false,
};

/**
 * Every type a host may need to write its options, imported as a host would: a missing export
 * fails here with TS2305/TS2724 and its name.
 */
const OPTION_TYPES: CodeBlock = {
  origin: 'the option types of @helperkit/nest:1',
  code: `import type {
  HelperChatModuleAsyncOptions,
  HelperChatModuleOptions,
  HelperCorsOptions,
  HelperDatabaseUrl,
  HelperEmailModuleAsyncOptions,
  HelperEmailOptions,
  HelperLimits,
  HelperMailboxOptions,
  HelperModuleAsyncOptions,
  HelperModuleExtras,
  HelperModuleForRootOptions,
  HelperModuleOptions,
  HelperOpenApiOptions,
  HelperSecurityScheme,
  HelperStorageOverrides,
  HostCustomer,
  ResolveCustomer,
  SigningRoute,
} from '@helperkit/nest';

// Each option's type is one of them, so a host can name what it builds.
export type Named = [
  HelperModuleOptions['limits'] extends Partial<HelperLimits> | undefined ? true : never,
  HelperModuleOptions['cors'] extends boolean | HelperCorsOptions | undefined ? true : never,
  HelperModuleOptions['database'] extends string | HelperDatabaseUrl | undefined ? true : never,
  HelperModuleOptions['openApi'] extends HelperOpenApiOptions | undefined ? true : never,
  NonNullable<HelperModuleOptions['mailboxes']>[number] extends string | HelperMailboxOptions ? true : never,
  NonNullable<HelperModuleOptions['resolveCustomer']> extends ResolveCustomer<never> ? true : never,
  NonNullable<NonNullable<HelperModuleOptions['signing']>['forRoutes']>[number] extends SigningRoute ? true : never,
  ReturnType<ResolveCustomer> extends HostCustomer | null | undefined | Promise<HostCustomer | null | undefined> ? true : never,
];
export type Modules = [
  HelperModuleForRootOptions,
  HelperModuleAsyncOptions,
  HelperModuleExtras,
  HelperChatModuleOptions,
  HelperChatModuleAsyncOptions,
  HelperEmailOptions,
  HelperEmailModuleAsyncOptions,
  HelperStorageOverrides,
  HelperSecurityScheme,
];
const named: Named = [true, true, true, true, true, true, true, true];
export default named;
`,
  fragment: false,
};

let errors: string[];

beforeAll(() => {
  const whole = blocks.filter((block) => !block.fragment);
  errors = typeErrors([...whole, OPTION_TYPES, BROKEN], hostDir, join(testsDir, 'tsconfig.json'));
}, 120_000);

describe('the TypeScript examples of the READMEs and docs', () => {
  it('compile against the packages as they are', () => {
    expect(blocks.filter((block) => !block.fragment).length).toBeGreaterThanOrEqual(8);
    const checked = [BROKEN.origin, OPTION_TYPES.origin];
    expect(errors.filter((error) => !checked.some((origin) => error.startsWith(origin)))).toEqual(
      [],
    );
  });

  it('are mostly whole files in the READMEs: the fragments are marked, and few', () => {
    const inReadmes = blocks.filter((block) => /README\.md:\d+$/.test(block.origin));
    const fragments = inReadmes.filter((block) => block.fragment);
    expect(fragments.length).toBeLessThanOrEqual(inReadmes.length / 4);
  });

  it('every option type is exported from @helperkit/nest', () => {
    expect(errors.filter((error) => error.startsWith(OPTION_TYPES.origin))).toEqual([]);
  });

  it('name an example that does not compile by its file and line', () => {
    const reported = errors.filter((error) => error.startsWith(BROKEN.origin));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/^a broken example:1 \(line 2 of the block\): /);
  });
});
