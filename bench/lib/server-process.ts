import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs a benchmark's TypeScript `script` (through tsx) in a process of its own, with its output on
 * this process's and an IPC channel to talk to it.
 */
export const forkScript = (script: URL): ChildProcess =>
  fork(fileURLToPath(script), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

/** A server the benchmark started in a process of its own. */
export interface ServerProcess {
  /** Its base URL, `http://127.0.0.1:<port>`. */
  url: string;
  pid: number;
  /** Disconnects it, which its script takes as the signal to close; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `script` (TypeScript, through tsx) in a process of its own, sends it `setup`, and
 * resolves once it answers `{ url }` (see `serveFromChild`). Benchmarks put a server under test in
 * its own process so that it shares neither event loop nor heap with the load or another instance.
 */
export function startServerProcess(script: URL, setup: Serializable = {}): Promise<ServerProcess> {
  const child = forkScript(script);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      resolve({
        url: (message as { url: string }).url,
        pid: child.pid!,
        stop: async () => {
          child.disconnect();
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`${script.pathname} exited with ${code}`)));
    child.send(setup);
  });
}

/**
 * The child's side of `startServerProcess`: waits for the setup, starts the server with it,
 * answers its URL, and closes it when the parent disconnects.
 */
export function serveFromChild<Setup>(
  start: (setup: Setup) => Promise<{ url: string; close(): Promise<void> }>,
): void {
  process.once('message', (setup: Setup) => {
    start(setup).then(
      ({ url, close }) => {
        process.send!({ url });
        process.once('disconnect', () => void close().finally(() => process.exit(0)));
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
