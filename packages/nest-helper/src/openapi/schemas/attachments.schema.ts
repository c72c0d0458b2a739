import type { AttachmentView, RefusedAttachmentView } from '@helperkit/core';
import { ApiField } from '../fields.js';

export class AttachmentSchema implements AttachmentView {
  @ApiField({ description: 'Send it in a message’s `attachmentIds`.' })
  id!: string;

  @ApiField({ description: 'The stored name, with the extension of the sniffed type.' })
  name!: string;

  @ApiField({ type: Number, description: 'Bytes.' })
  size!: number;

  @ApiField({ description: 'Sniffed from the bytes, never taken from the upload.' })
  contentType!: string;

  @ApiField({ description: 'A link signed for this reader, valid 5 minutes.' })
  url!: string;
}

export class RefusedAttachmentSchema implements RefusedAttachmentView {
  @ApiField({})
  name!: string;

  @ApiField({ type: Number })
  size!: number;

  @ApiField({ enum: ['type_not_allowed', 'too_large', 'empty', 'too_many'] })
  reason!: RefusedAttachmentView['reason'];
}
