// The signing middleware's cost: the same GET route with and without it, and the session
// endpoint, against one Nest app in a process of its own (lib/middleware-app.ts), loaded by
// autocannon from this process (target: the middleware keeps 0.85 or more of the bare route's
// throughput).
import { signIdentity } from '@helperkit/core/node';
import { compareAlternating } from './lib/alternating-http.js';
import { compareHttp, printHttp } from './lib/http.js';
import { recordResults } from './lib/results.js';
import { startServerProcess } from './lib/server-process.js';
import { BENCH_CUSTOMER, BENCH_SECRET } from './lib/signing-bench.js';

function signedSessionBody() {
  const { metadata, ...signed } = signIdentity(
    { email: BENCH_CUSTOMER.email, metadata: { value: BENCH_CUSTOMER.value } },
    BENCH_SECRET,
  );
  return { ...signed, customerMetadata: metadata };
}

const server = await startServerProcess(new URL('./lib/middleware-app.ts', import.meta.url));
const base = server.url;

// The ratio: both pages in alternating tenth-of-a-second slices on the same connections
// (lib/alternating-http.ts), so that both see the same machine; 30 seconds of them.
const figures = await compareAlternating(base, [
  { name: 'baseline: GET /page (no middleware)', path: '/page' },
  { name: 'GET /signed-page (signing middleware)', path: '/signed-page' },
]);
// The session endpoint for comparison, in rounds of its own: it writes to SQLite and leaves
// garbage behind, which would fall on whichever page ran after it.
const session = await compareHttp([
  { name: 'baseline: GET /page (no middleware)', url: `${base}/page` },
  {
    name: 'POST /helper/widget/session (identified)',
    url: `${base}/helper/widget/session`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Signed once: the timestamp stays within the hour-long tolerance for the whole run.
    // The metadata is signed with the identity, as a host page passes it (unsigned metadata is
    // refused by default).
    body: JSON.stringify(signedSessionBody()),
  },
]);
printHttp('signing middleware (nest)', figures);
printHttp('the session endpoint (nest), for comparison', session);
const ratio = figures[1]!.ratio;
console.log(
  `signing middleware / baseline, second by second: ${figures[1]!.roundRatios.map((round) => round.toFixed(2)).join(' ')}`,
);
recordResults({ 'middleware.ratio': Math.round(ratio * 1000) / 1000 });
console.log(
  `target: signing middleware >= 0.85 x baseline: ${ratio.toFixed(2)}, ${ratio >= 0.85 ? 'met' : 'NOT MET'}`,
);

await server.stop();
