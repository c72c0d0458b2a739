import type { Type } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import { MODULE_PATH } from '@nestjs/common/internal';

/**
 * Mounts a module's controllers under `prefix`, as `RouterModule.register` does. RouterModule
 * needs the path when the module is declared, but `forRootAsync` knows `routePrefix` only once
 * its factory has run; this writes the same per-application metadata once it has, which is
 * still before Nest registers the routes.
 */
export function mountModuleAt(
  module: Type<unknown>,
  prefix: string,
  container: ModulesContainer,
): void {
  Reflect.defineMetadata(MODULE_PATH + container.applicationId, `/${prefix}`, module);
}
