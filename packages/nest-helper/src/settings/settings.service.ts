import { Injectable } from '@nestjs/common';
import { validateSettingsPatch, type WidgetSettings } from '@helperkit/core';
import { notFound, validationFailed } from '../errors.js';
import { InjectSettingsStorage } from '../storage/storage.tokens.js';
import type { SettingsStorage } from './settings.storage.js';

/** Reads and updates a mailbox's widget settings with core's rules. */
@Injectable()
export class SettingsService {
  constructor(@InjectSettingsStorage() private readonly storage: SettingsStorage) {}

  async get(mailbox: string): Promise<WidgetSettings> {
    const settings = await this.storage.getSettings(mailbox);
    if (!settings) throw notFound(`The mailbox "${mailbox}"`);
    return settings;
  }

  /**
   * Applies a partial update atomically: the patch is checked against the settings as they are
   * inside the transaction, so a concurrent update of another field is never lost, and a patch
   * that fails validation changes nothing.
   */
  async update(mailbox: string, patch: Partial<WidgetSettings>): Promise<WidgetSettings> {
    const result = await this.storage.updateSettings(mailbox, (current) =>
      validateSettingsPatch(patch, current),
    );
    if (result === null) throw notFound(`The mailbox "${mailbox}"`);
    if (!result.ok) throw validationFailed(result.errors, 'The settings were not changed.');
    return result.value;
  }
}
