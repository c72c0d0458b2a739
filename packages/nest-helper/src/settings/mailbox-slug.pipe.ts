import { Injectable, type PipeTransform } from '@nestjs/common';
import { notFound } from '../errors.js';
import { MAILBOX_SLUG } from '../helper.options.js';

/** A slug that cannot name a mailbox is answered like an unknown one: 404, not a hint. */
@Injectable()
export class MailboxSlugPipe implements PipeTransform<string, string> {
  transform(slug: string): string {
    if (!MAILBOX_SLUG.test(slug)) throw notFound('The mailbox');
    return slug;
  }
}
