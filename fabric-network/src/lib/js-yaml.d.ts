// Minimal typings for js-yaml 4 (the package ships none and @types/js-yaml is not installed).
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown;
  export function dump(value: unknown, options?: { noRefs?: boolean; lineWidth?: number; sortKeys?: boolean }): string;
}
