import { Injectable, type PipeTransform } from '@nestjs/common';
import { notFound } from '../errors.js';

/** The shape of an attachment's public id: `a_` and 24 URL-safe characters. */
export const ATTACHMENT_ID = /^a_[A-Za-z0-9_-]{24}$/;

/** An id that cannot be an attachment's is answered like an unknown one, before any lookup: 404. */
@Injectable()
export class AttachmentIdPipe implements PipeTransform<string, string> {
  transform(id: string): string {
    if (!ATTACHMENT_ID.test(id)) throw notFound('The attachment');
    return id;
  }
}
