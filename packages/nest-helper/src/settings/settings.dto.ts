import {
  DISPLAY_MODES,
  TITLE_MAX_LENGTH,
  settingsRules,
  type DisplayMode,
  type WidgetSettings,
} from '@helperkit/core';
import { ApiOptionalField } from '../openapi/fields.js';
import { SatisfiesCoreRule } from '../validation/core-rule.decorator.js';

/** `PATCH …/settings`: any subset of the settings, each checked by its rule in core. */
export class UpdateSettingsDto implements Partial<WidgetSettings> {
  @SatisfiesCoreRule(settingsRules.displayMode)
  @ApiOptionalField({ enum: [...DISPLAY_MODES] })
  displayMode?: DisplayMode;

  @SatisfiesCoreRule(settingsRules.minValue)
  @ApiOptionalField({ type: Number, minimum: 0 })
  minValue?: number;

  @SatisfiesCoreRule(settingsRules.title)
  @ApiOptionalField({ minLength: 1, maxLength: TITLE_MAX_LENGTH })
  title?: string;

  @SatisfiesCoreRule(settingsRules.autoRespondEmailToChat)
  @ApiOptionalField({ type: Boolean })
  autoRespondEmailToChat?: boolean;

  @SatisfiesCoreRule(settingsRules.widgetHost)
  @ApiOptionalField({
    type: String,
    nullable: true,
    description: 'An https URL: the page the email-to-chat link opens.',
  })
  widgetHost?: string | null;

  @SatisfiesCoreRule(settingsRules.allowAnonymous)
  @ApiOptionalField({ type: Boolean })
  allowAnonymous?: boolean;
}
