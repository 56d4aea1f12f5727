// Starts local-cloud for a benchmark and resolves its READY line; shared by the bench-*.mjs scripts.
import { spawn } from 'node:child_process';

/**
 * Runs `java -jar <jar> --port 0 <args>` in `cwd` and resolves `{ready, child}` once the whole READY line is out,
 * or rejects when it exits first or `startMs` passes.
 */
export function startLocalCloud(jar, args, cwd, startMs) {
  const child = spawn('java', ['-jar', jar, '--port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no READY within ${startMs} ms:\n${out}`)), startMs);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line && out.includes('\n', out.indexOf(line))) {
        clearTimeout(timer);
        res({ ready: JSON.parse(line.slice('READY '.length)), child });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`local-cloud exited with ${code}:\n${out}`)); });
  });
}
