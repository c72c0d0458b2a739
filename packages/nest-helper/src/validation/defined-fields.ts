/**
 * The fields a client actually sent, as a plain object: DTO instances declare every property,
 * so absent ones exist with the value `undefined` and must not count as "set".
 */
export function definedFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(dto).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
