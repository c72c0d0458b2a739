import type { Type } from '@nestjs/common';

// The feature modules (chat, email) mount their controllers under HelperModule's route prefix.
// Each registers its class here when its file loads; HelperModule.forRoot hands the list to
// Nest's RouterModule, which skips any module the host did not import. Kept as a registry so the
// core module never imports a feature module (dependencies point from the features to the core).
const modules = new Set<Type<unknown>>();

export const registerRoutedModule = (module: Type<unknown>): void => {
  modules.add(module);
};

export const routedModules = (): Type<unknown>[] => [...modules];
