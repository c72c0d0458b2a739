import { Body, Get, Param, Patch, UseGuards } from '@nestjs/common';
import type { WidgetSettings } from '@helperkit/core';
import { AdminGuard } from '../admin.guard.js';
import { HelperController } from '../http/helper-controller.decorator.js';
import { DEFAULT_MAILBOX, type ResolvedMailbox } from '../helper.options.js';
import { MailboxPipe } from '../mailboxes/mailbox.pipe.js';
import { definedFields } from '../validation/defined-fields.js';
import { UpdateSettingsDto } from './settings.dto.js';
import { SettingsService } from './settings.service.js';

/**
 * The dashboard's settings endpoints, behind the host's admin guard: `/settings` is the default
 * mailbox's, `/mailboxes/:slug/settings` any mailbox's (docs/http-api.md).
 */
@HelperController()
@UseGuards(AdminGuard)
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
  get(@Param('slug', MailboxPipe) mailbox: ResolvedMailbox): Promise<WidgetSettings> {
    return this.settings.get(mailbox.slug);
  }

  @Patch('mailboxes/:slug/settings')
  update(
    @Param('slug', MailboxPipe) mailbox: ResolvedMailbox,
    @Body() patch: UpdateSettingsDto,
  ): Promise<WidgetSettings> {
    return this.settings.update(mailbox.slug, definedFields(patch));
  }
}
