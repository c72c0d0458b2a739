import { Injectable, type PipeTransform } from '@nestjs/common';
import type { ResolvedMailbox } from '../helper.options.js';
import { HelperMailboxes } from './mailboxes.service.js';

/**
 * Turns a slug (`:slug` or `?mailbox=`) into its mailbox. A slug that names no mailbox is answered
 * like an unknown one: 404, not a hint.
 */
@Injectable()
export class MailboxPipe implements PipeTransform<unknown, ResolvedMailbox> {
  constructor(private readonly mailboxes: HelperMailboxes) {}

  transform(slug: unknown): ResolvedMailbox {
    return this.mailboxes.get(slug ?? undefined);
  }
}
