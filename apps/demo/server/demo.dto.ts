import { IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { DEMO_CUSTOMERS } from './customers.js';
import { TEST_EMAIL_KINDS, type TestEmailKind } from './test-email.js';

export class LoginDto {
  /** A demo customer's email; `null` (or absent) logs out: an anonymous visitor. */
  @IsOptional()
  @IsIn(DEMO_CUSTOMERS.map((customer) => customer.email), {
    message: 'email must be one of the demo customers.',
  })
  email?: string | null;
}

export class TestEmailDto {
  @IsEmail({}, { message: 'from must be an email address.' })
  from!: string;

  @IsString({ message: 'subject must be text.' })
  @Length(1, 200, { message: 'subject must have 1 to 200 characters.' })
  subject!: string;

  @IsString({ message: 'text must be text.' })
  @Length(1, 5000, { message: 'text must have 1 to 5000 characters.' })
  text!: string;

  @IsOptional()
  @IsIn(Object.keys(TEST_EMAIL_KINDS), { message: 'kind is not a known kind of test email.' })
  kind?: TestEmailKind;
}
