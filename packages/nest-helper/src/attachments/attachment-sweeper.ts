import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectAttachmentOptions, type ResolvedAttachmentOptions } from './attachment.options.js';
import { AttachmentsService } from './attachments.service.js';

/**
 * Deletes uploads never sent, on one timer per instance (never one per file): each sweep deletes
 * what is due by then, and instances sweeping at once share the rows (docs/http-api.md).
 */
@Injectable()
export class AttachmentSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('HelperChatModule');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly attachments: AttachmentsService,
    @InjectAttachmentOptions() private readonly options: ResolvedAttachmentOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.attachments.sweep().catch((error: unknown) => {
        this.logger.warn(
          `Deleting expired uploads failed; the next sweep retries: ${String(error)}`,
        );
      });
    }, this.options.sweepIntervalMs);
    // The sweep never keeps a process alive that has nothing else to do.
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
