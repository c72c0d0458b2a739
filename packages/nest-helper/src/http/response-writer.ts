import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Status and headers of a response, through the platform's adapter: Express's and Fastify's
 * response objects differ (Fastify's reply has no `setHeader`, for one).
 */
@Injectable()
export class ResponseWriter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  status(response: unknown, statusCode: number): void {
    this.adapterHost.httpAdapter.status(response, statusCode);
  }

  header(response: unknown, name: string, value: string): void {
    this.adapterHost.httpAdapter.setHeader(response, name, value);
  }
}
