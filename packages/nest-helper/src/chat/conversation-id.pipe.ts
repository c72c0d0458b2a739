import { Injectable, type PipeTransform } from '@nestjs/common';
import { notFound } from '../errors.js';

const PUBLIC_ID = /^c_[A-Za-z0-9_-]{24}$/;

/** An id that cannot be a conversation's is answered like an unknown one: 404. */
@Injectable()
export class ConversationIdPipe implements PipeTransform<string, string> {
  transform(id: string): string {
    if (!PUBLIC_ID.test(id)) throw notFound('The conversation');
    return id;
  }
}
