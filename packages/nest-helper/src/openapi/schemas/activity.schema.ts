import type { ReadResult } from '../../chat/read-state.service.js';
import type { RatingView } from '../../chat/views.js';
import { ApiField } from '../fields.js';

export class RatingSchema implements RatingView {
  @ApiField({ enum: ['good', 'bad'] })
  rating!: 'good' | 'bad';

  @ApiField({ type: String, nullable: true, description: 'Plain text, at most 1,000 characters.' })
  comment!: string | null;

  @ApiField({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class RatingAnswerSchema {
  @ApiField({ type: RatingSchema })
  rating!: RatingView;
}

export class ReadAnswerSchema implements ReadResult {
  @ApiField({
    type: Number,
    description: "The side's read mark after this request (it never moves back).",
  })
  lastReadId!: number;

  @ApiField({ type: Number, description: "The other side's messages after the mark." })
  unreadCount!: number;
}
