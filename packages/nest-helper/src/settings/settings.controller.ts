import { Body, Get, Param, Patch, UseGuards } from '@nestjs/common';
import type { WidgetSettings } from '@helperkit/core';
import { AdminGuard } from '../admin.guard.js';
import { HelperController } from '../http/helper-controller.decorator.js';
import { DEFAULT_MAILBOX, type ResolvedMailbox } from '../helper.options.js';
import { MailboxPipe } from '../mailboxes/mailbox.pipe.js';
import { ApiGroup, ApiRoute, ApiSlugParam, ApiStaffAuth } from '../openapi/decorators.js';
import { WidgetSettingsSchema } from '../openapi/schemas/widget.schema.js';
import { definedFields } from '../validation/defined-fields.js';
import { UpdateSettingsDto } from './settings.dto.js';
import { SettingsService } from './settings.service.js';

/**
 * The dashboard's settings endpoints, behind the host's admin guard: `/settings` is the default
 * mailbox's, `/mailboxes/:slug/settings` any mailbox's (docs/http-api.md).
 */
@HelperController()
@UseGuards(AdminGuard)
@ApiGroup('settings')
@ApiStaffAuth()
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('settings')
  @ApiRoute({
    summary: "The default mailbox's settings",
    response: WidgetSettingsSchema,
    errors: [401, 403],
  })
  getDefault(): Promise<WidgetSettings> {
    return this.settings.get(DEFAULT_MAILBOX);
  }

  @Patch('settings')
  @ApiRoute({
    summary: "Change the default mailbox's settings",
    description: 'Any subset; an update that fails validation changes nothing.',
    response: WidgetSettingsSchema,
    errors: [400, 401, 403],
  })
  updateDefault(@Body() patch: UpdateSettingsDto): Promise<WidgetSettings> {
    return this.settings.update(DEFAULT_MAILBOX, definedFields(patch));
  }

  @Get('mailboxes/:slug/settings')
  @ApiRoute({
    summary: "A mailbox's settings",
    response: WidgetSettingsSchema,
    errors: [401, 403, 404],
  })
  @ApiSlugParam()
  get(@Param('slug', MailboxPipe) mailbox: ResolvedMailbox): Promise<WidgetSettings> {
    return this.settings.get(mailbox.slug);
  }

  @Patch('mailboxes/:slug/settings')
  @ApiRoute({
    summary: "Change a mailbox's settings",
    description: 'Any subset; an update that fails validation changes nothing.',
    response: WidgetSettingsSchema,
    errors: [400, 401, 403, 404],
  })
  @ApiSlugParam()
  update(
    @Param('slug', MailboxPipe) mailbox: ResolvedMailbox,
    @Body() patch: UpdateSettingsDto,
  ): Promise<WidgetSettings> {
    return this.settings.update(mailbox.slug, definedFields(patch));
  }
}
