/** Terminal progress output for the network scripts. */
const started = Date.now();

function stamp(): string {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  return `[${s}s]`;
}

/** A step heading. */
export function step(message: string): void {
  process.stdout.write(`${stamp()} ==> ${message}\n`);
}

/** A detail line under the current step. */
export function info(message: string): void {
  process.stdout.write(`${stamp()}     ${message}\n`);
}

/** A warning (stderr). */
export function warn(message: string): void {
  process.stderr.write(`${stamp()} !!  ${message}\n`);
}

/** Seconds since the script started. */
export function elapsedSeconds(): number {
  return (Date.now() - started) / 1000;
}
