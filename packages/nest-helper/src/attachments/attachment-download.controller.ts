import { Get, Param, Res, StreamableFile, UseGuards } from '@nestjs/common';
import contentDisposition from 'content-disposition';
import { HelperController } from '../http/helper-controller.decorator.js';
import { ResponseWriter } from '../http/response-writer.js';
import { AttachmentAccessGuard, AttachmentAccessParam } from './attachment-access.guard.js';
import { AttachmentIdPipe } from './attachment-id.pipe.js';
import { AttachmentsService, type AttachmentAccess } from './attachments.service.js';
import { ApiFileResponse, ApiGroup } from '../openapi/decorators.js';

/** Types a browser shows in the page; everything else is offered as a download. */
const INLINE = /^image\/(png|jpeg|gif|webp)$/;

/**
 * `GET /attachments/:id`: the file, to its conversation's owner, staff, or the holder of its signed
 * link. The headers keep a browser from running it as a page (docs/security-model.md).
 */
@HelperController()
@ApiGroup('chat')
export class AttachmentDownloadController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly responses: ResponseWriter,
  ) {}

  @Get('attachments/:id')
  @ApiFileResponse(
    'Download a file',
    'To the conversation’s owner (Bearer session), staff (the admin guard), or through the `?token=` of its signed `url` (5 minutes). Served with `nosniff`, `Content-Security-Policy: sandbox` and an RFC 6266 `Content-Disposition`.',
  )
  @UseGuards(AttachmentAccessGuard)
  async download(
    @Param('id', AttachmentIdPipe) id: string,
    @AttachmentAccessParam() access: AttachmentAccess,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<StreamableFile> {
    const { record, bytes } = await this.attachments.open(id, access);
    this.responses.header(response, 'X-Content-Type-Options', 'nosniff');
    this.responses.header(response, 'Content-Security-Policy', 'sandbox');
    this.responses.header(response, 'Cache-Control', 'private, max-age=300');
    return new StreamableFile(bytes, {
      type: record.contentType,
      length: bytes.length,
      disposition: contentDisposition(record.name, {
        type: INLINE.test(record.contentType) ? 'inline' : 'attachment',
      }),
    });
  }
}
