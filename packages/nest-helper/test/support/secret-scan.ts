// Runs after every suite (jest setupFilesAfterEach): no response that any test app sent may
// contain a secret or a key derived from one, in its headers or its body.
import { afterAll, expect } from '@jest/globals';
import { capturedResponses } from './capture.js';
import { secretForms } from './secrets.js';

afterAll(() => {
  const forms = secretForms();
  const leaks = capturedResponses.flatMap((response) =>
    forms
      .filter((form) => response.body.includes(form) || response.headers.includes(form))
      .map(() => `${response.status} ${response.url}`),
  );
  expect(leaks).toEqual([]);
  // A suite that sent nothing scanned nothing; each suite with a test app sends something.
  capturedResponses.length = 0;
});
