#!/usr/bin/env node
import nodeModule from 'node:module';
import { ExitCode } from '../errors/index.js';

// Node 22.1+ keeps compiled code of the modules a command loads between invocations, most of
// what a CLI call costs after Node's own start. Older Nodes lack it; the program loads after
// this line so its modules are covered.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { runCli } = await import('./program.js');

const controller = new AbortController();
// First Ctrl-C: abort and let every `finally` release what it holds. Second: give up at once.
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(ExitCode.Interrupted);
  process.stderr.write('\nInterrupted; cleaning up (Ctrl-C again to force)\n');
  controller.abort(new Error('interrupted'));
});
process.on('SIGTERM', () => controller.abort(new Error('terminated')));

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
process.exitCode = controller.signal.aborted ? ExitCode.Interrupted : code;
if (controller.signal.aborted) {
  // Interrupted: everything venomqa held is released by now (every finally ran), but a step's
  // action that the run stopped waiting for may still hold a timer of its own. Exit once the
  // output is flushed rather than wait for it.
  await flushed(process.stdout);
  await flushed(process.stderr);
  process.exit(process.exitCode);
}
// Everything venomqa opened is closed by now, so the process ends by itself. Should a handle
// still hold it (a bug, or a library's socket), end it anyway rather than hang a CI job; the
// timer is unref'd, so a clean exit never waits for it.
setTimeout(() => {
  process.stderr.write('venomqa: a handle kept the process alive after the command ended\n');
  process.exit(process.exitCode);
}, 5000).unref();

/** Resolves once what was written to `stream` before now has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}
