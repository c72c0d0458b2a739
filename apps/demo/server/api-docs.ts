import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addHelperSecurity } from '@helperkit/nest';

/** The OpenAPI name of the demo's staff token, given to helperkit as `openApi.staffSecurity`. */
export const DEMO_STAFF_SECURITY = 'demoStaff';

/**
 * Serves the OpenAPI document of the whole app: Swagger UI at `/docs`, the JSON at `/docs-json`.
 * helperkit's routes carry their own metadata; the demo adds the security schemes they name.
 */
export function serveApiDocs(app: INestApplication): void {
  const config = addHelperSecurity(
    new DocumentBuilder()
      .setTitle('helperkit demo')
      .setDescription("helperkit's routes under /helper, the demo's under /demo.")
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'The staff token.' },
        DEMO_STAFF_SECURITY,
      ),
  ).build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'docs-json',
  });
}
