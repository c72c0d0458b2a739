import { Inject } from '@nestjs/common';

/** The time attachments count by, in ms: link expiry and upload age; replaced in tests. */
export type AttachmentClock = () => number;

export const HELPER_ATTACHMENT_CLOCK = 'HELPER_ATTACHMENT_CLOCK';
export const InjectAttachmentClock = (): ParameterDecorator => Inject(HELPER_ATTACHMENT_CLOCK);
