import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import ts from 'typescript';

/** A ```ts block of a Markdown file. */
export interface CodeBlock {
  /** `packages/nest-helper/README.md:42`: where the block's fence is. */
  origin: string;
  /** The block's code; a `continued` block starts with the code of the block before it. */
  code: string;
  /** Marked ```ts fragment: not a whole file, so not compiled. */
  fragment: boolean;
}

/**
 * The ```ts blocks of a Markdown file. ```ts fragment marks a block that is not a whole file;
 * ```ts continued one that uses what the block before it declared.
 */
export function codeBlocks(markdownPath: string, displayPath: string): CodeBlock[] {
  const lines = readFileSync(markdownPath, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const fence = /^```ts(?:\s+(\w+))?\s*$/.exec(lines[index]!);
    if (!fence) continue;
    const start = index;
    const body: string[] = [];
    for (index += 1; index < lines.length && lines[index] !== '```'; index += 1) {
      body.push(lines[index]!);
    }
    const tag = fence[1];
    if (tag !== undefined && tag !== 'fragment' && tag !== 'continued') {
      throw new Error(`${displayPath}:${start + 1}: unknown code block tag "${tag}"`);
    }
    const previous = tag === 'continued' ? blocks.at(-1) : undefined;
    if (tag === 'continued' && !previous) {
      throw new Error(`${displayPath}:${start + 1}: a continued block needs a block before it`);
    }
    blocks.push({
      origin: `${displayPath}:${start + 1}`,
      code: [previous?.code, body.join('\n')].filter((part) => part !== undefined).join('\n'),
      fragment: tag === 'fragment',
    });
  }
  return blocks;
}

/**
 * Type-checks each block as a module of its own, in `hostDir` (which holds the host files the
 * examples import), with the compiler options of `tsconfigPath`. Answers one line per error:
 * `origin (line n of the block): message`.
 */
export function typeErrors(blocks: CodeBlock[], hostDir: string, tsconfigPath: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  )!;
  const files = new Map(
    blocks.map((block, index) => [
      join(hostDir, `${basename(block.origin).replace(/\W+/g, '-')}-${index}.ts`),
      block,
    ]),
  );
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (path) => files.get(path)?.code ?? readFile(path);
  host.fileExists = (path) => files.has(path) || fileExists(path);
  const program = ts.createProgram({
    rootNames: [...files.keys(), join(hostDir, 'vite-env.d.ts')],
    options: { ...config.options, noEmit: true },
    host,
  });
  return [...files].flatMap(([path, block]) =>
    ts
      .getPreEmitDiagnostics(program, program.getSourceFile(path))
      .filter((diagnostic) => diagnostic.file?.fileName === path)
      .map((diagnostic) => {
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
        return `${block.origin} (line ${line + 1} of the block): ${message}`;
      }),
  );
}

/** `path` relative to `root`, with forward slashes: how the errors name a README. */
export const displayPath = (root: string, path: string) =>
  relative(root, path).split('\\').join('/');

export const here = (url: string) => dirname(new URL(url).pathname);
