import { applyDecorators, Controller, UseFilters, UsePipes } from '@nestjs/common';
import { HelperExceptionFilter } from '../errors.js';
import { helperValidationPipe } from '../validation/validation.pipe.js';

/**
 * A helperkit controller: Nest's `@Controller(path)` with the module's error shape and DTO
 * validation, so both hold on every helperkit route whatever global filters and pipes the host
 * installs (see docs/http-api.md, "Errors").
 */
export const HelperController = (path?: string): ClassDecorator =>
  applyDecorators(
    path === undefined ? Controller() : Controller(path),
    UseFilters(HelperExceptionFilter),
    UsePipes(helperValidationPipe()),
  );
