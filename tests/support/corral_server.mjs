// The real `corral server` for the Node test suites (tests/dashboard, tests/sqs): spawned with
// `args`, its port read from its "listening on" line, stopped by its PID. Plain Node, no
// package, so every suite can import it whatever its own dependencies.
import { spawn } from "node:child_process";

// Starts `binary` with `args` and resolves once it listens, setting on `server`: child, log
// (everything it has printed, kept up to date), port, url, and exited (resolves with its exit
// code, or the signal that ended it).
export async function startServer(server, binary, args, timeoutMs) {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  server.child = child;
  server.log = "";
  server.port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`corral did not listen in time:\n${server.log}`)), timeoutMs);
    const read = (chunk) => {
      server.log += chunk;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(server.log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error(`corral exited with ${code}:\n${server.log}`)));
  });
  server.url = `http://127.0.0.1:${server.port}`;
  server.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  return server;
}

// SIGTERM to its PID; resolves with the exit code, which a clean shutdown makes 0.
export async function stopServer(server) {
  if (!server.child || server.child.exitCode !== null) return server.child?.exitCode;
  server.child.kill("SIGTERM");
  const code = await server.exited;
  server.child = undefined;
  return code;
}
