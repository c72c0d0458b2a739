import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PEER = '@nestjs/event-emitter';
const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Every source file of the package, as the build emits it (imports are kept as written). */
function emittedSources(): Array<{ file: string; js: ts.SourceFile }> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
  );
  return files.map((file) => {
    const { outputText } = ts.transpileModule(readFileSync(join(SRC, file), 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
      },
    });
    return { file, js: ts.createSourceFile(file, outputText, ts.ScriptTarget.ES2022, true) };
  });
}

/** The module specifiers of a file's static imports and re-exports. */
const staticImports = (js: ts.SourceFile): string[] =>
  js.statements.flatMap((statement) =>
    (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
    statement.moduleSpecifier !== undefined &&
    ts.isStringLiteral(statement.moduleSpecifier)
      ? [statement.moduleSpecifier.text]
      : [],
  );

/** The specifiers of a file's `import('…')` calls. */
function dynamicImports(js: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(js);
  return found;
}

// The Nest events' package is an optional peer: a host without it must still load the module.
describe(`the optional peer ${PEER}`, () => {
  const sources = emittedSources();

  it('is never imported statically by the built package', () => {
    const offenders = sources
      .filter(({ js }) => staticImports(js).includes(PEER))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
    // The scan reads real imports: the package's own core is among them.
    expect(sources.some(({ js }) => staticImports(js).includes('@nestjs/common'))).toBe(true);
  });

  it('is loaded in one place only, lazily', () => {
    const lazy = sources.filter(({ js }) => dynamicImports(js).includes(PEER));
    expect(lazy.map(({ file }) => file)).toEqual([join('events', 'host-event-emitter.ts')]);
  });
});
