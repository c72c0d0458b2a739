import { Injectable } from '@nestjs/common';

/** Where the running demo is, known once it listens. */
@Injectable()
export class DemoRuntime {
  /** The browser's URL of the demo, e.g. `http://localhost:3000`: the host page is its `/`. */
  publicUrl = '';
  /** Where the server reaches itself, e.g. `http://127.0.0.1:3000`. */
  internalUrl = '';
}
