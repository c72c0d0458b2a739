import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
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

const RATING_COMMENT_MAX_LENGTH = 1000;
const RATINGS: readonly RatingValue[] = ['good', 'bad'];
// Line breaks and tabs belong in a comment; other control characters do not (and PostgreSQL's
// text refuses NUL outright).
const WITHOUT_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

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
  @Matches(WITHOUT_CONTROL_CHARACTERS, {
    message: 'comment must not contain control characters other than line breaks and tabs.',
  })
  @MaxLength(RATING_COMMENT_MAX_LENGTH, {
    message: `comment must have at most ${RATING_COMMENT_MAX_LENGTH} characters.`,
  })
  comment?: string;
}
