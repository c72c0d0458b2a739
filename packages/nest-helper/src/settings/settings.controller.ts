import {
  Body,
  Controller,
  Get,
  Param,
  Patch,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import type { WidgetSettings } from '@helperkit/core';
import { HelperExceptionFilter } from '../errors.js';
import { AdminGuard } from '../admin.guard.js';
import { DEFAULT_MAILBOX } from '../helper.options.js';
import { definedFields } from '../validation/defined-fields.js';
import { helperValidationPipe } from '../validation/validation.pipe.js';
import { MailboxSlugPipe } from './mailbox-slug.pipe.js';
import { UpdateSettingsDto } from './settings.dto.js';
import { SettingsService } from './settings.service.js';

/** The dashboard's settings endpoints, behind the host's admin guard (SPEC 6). */
@Controller()
@UseGuards(AdminGuard)
@UseFilters(HelperExceptionFilter)
@UsePipes(helperValidationPipe())
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('settings')
  getDefault(): Promise<WidgetSettings> {
    return this.settings.get(DEFAULT_MAILBOX);
  }

  @Patch('settings')
  updateDefault(@Body() patch: UpdateSettingsDto): Promise<WidgetSettings> {
    return this.settings.update(DEFAULT_MAILBOX, definedFields(patch));
  }

  @Get('mailboxes/:slug/settings')
  get(@Param('slug', MailboxSlugPipe) slug: string): Promise<WidgetSettings> {
    return this.settings.get(slug);
  }

  @Patch('mailboxes/:slug/settings')
  update(
    @Param('slug', MailboxSlugPipe) slug: string,
    @Body() patch: UpdateSettingsDto,
  ): Promise<WidgetSettings> {
    return this.settings.update(slug, definedFields(patch));
  }
}
