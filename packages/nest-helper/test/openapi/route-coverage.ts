import type { ServedRoute } from './served-routes.js';

interface MediaType {
  schema?: object;
}
interface Operation {
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
  security?: Array<Record<string, string[]>>;
  /** `none`: the route reads no body (helperkit's own extension). */
  'x-request-body'?: string;
}
/** The parts of an OpenAPI document the check reads. */
interface OpenApiDocument {
  paths: Record<string, object>;
  components?: { securitySchemes?: Record<string, unknown> };
}

/** `/helper/conversations/:id` as an OpenAPI path: `/helper/conversations/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

const hasSchema = (content: Record<string, MediaType> | undefined) =>
  Object.values(content ?? {}).some((media) => media.schema !== undefined);

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * What the document lacks for each served route, one line per problem, naming the route: its
 * operation, a success answer with a schema (or a 204), a request body schema for a write, and a
 * defined scheme for each security requirement it names.
 */
export function missingDocumentation(routes: ServedRoute[], document: OpenApiDocument): string[] {
  const schemes = new Set(Object.keys(document.components?.securitySchemes ?? {}));
  return routes.flatMap(({ method, path }) => {
    const name = `${method} ${path}`;
    const item = document.paths[openApiPath(path)] as Record<string, Operation> | undefined;
    const operation = item?.[method.toLowerCase()];
    if (!operation) return [`${name}: not in the OpenAPI document`];
    const problems: string[] = [];
    const successes = Object.entries(operation.responses ?? {}).filter(([status]) =>
      status.startsWith('2'),
    );
    // 204, and a 202 that only acknowledges, have no body to describe.
    const described = ([status, answer]: (typeof successes)[number]) =>
      status === '204' || (status === '202' && !answer.content) || hasSchema(answer.content);
    if (successes.length === 0 || !successes.every(described))
      problems.push(`${name}: no response schema`);
    const takesNoBody = operation['x-request-body'] === 'none';
    if (BODY_METHODS.has(method) && !takesNoBody && !hasSchema(operation.requestBody?.content))
      problems.push(`${name}: no request body schema`);
    for (const requirement of operation.security ?? []) {
      for (const scheme of Object.keys(requirement)) {
        if (!schemes.has(scheme))
          problems.push(`${name}: security scheme ${scheme} is not defined`);
      }
    }
    return problems;
  });
}
