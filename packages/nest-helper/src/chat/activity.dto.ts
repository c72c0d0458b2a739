import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiField, ApiOptionalField } from '../openapi/fields.js';
import type { RatingValue } from './rating.storage.js';

const messageId = { message: 'upTo must be a message id.' };

/** `POST …/conversations/:id/read`: the newest message the reader has seen. */
export class MarkReadDto {
  @ApiField({
    type: Number,
    description: 'The id of the newest message of this conversation read.',
  })
  @IsInt(messageId)
  @Min(1, messageId)
  @Max(Number.MAX_SAFE_INTEGER, messageId)
  upTo!: number;
}

export const RATING_COMMENT_MAX_LENGTH = 1000;
const RATINGS: readonly RatingValue[] = ['good', 'bad'];

/** `POST /conversations/:id/rating`: good or bad, and optionally a few words. */
export class RateConversationDto {
  @ApiField({ enum: ['good', 'bad'] })
  @IsIn(RATINGS, { message: 'rating must be "good" or "bad".' })
  rating!: RatingValue;

  /** Trimmed; an empty one counts as none. Shown to staff as text, never as HTML. */
  @ApiOptionalField({ type: String, maxLength: RATING_COMMENT_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: 'comment must be a string.' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(RATING_COMMENT_MAX_LENGTH, {
    message: `comment must have at most ${RATING_COMMENT_MAX_LENGTH} characters.`,
  })
  comment?: string;
}
