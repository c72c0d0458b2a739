import { settingsRules, type DisplayMode, type WidgetSettings } from '@helperkit/core';
import { SatisfiesCoreRule } from '../validation/core-rule.decorator.js';

/** `PATCH …/settings`: any subset of the settings, each checked by its rule in core. */
export class UpdateSettingsDto implements Partial<WidgetSettings> {
  @SatisfiesCoreRule(settingsRules.displayMode)
  displayMode?: DisplayMode;

  @SatisfiesCoreRule(settingsRules.minValue)
  minValue?: number;

  @SatisfiesCoreRule(settingsRules.title)
  title?: string;

  @SatisfiesCoreRule(settingsRules.autoRespondEmailToChat)
  autoRespondEmailToChat?: boolean;

  @SatisfiesCoreRule(settingsRules.widgetHost)
  widgetHost?: string | null;

  @SatisfiesCoreRule(settingsRules.allowAnonymous)
  allowAnonymous?: boolean;
}
