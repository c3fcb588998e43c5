/** Reading Fabric's sample YAML and writing derived configuration files. */
import fs from 'node:fs';
import yaml from 'js-yaml';

export type Yaml = { [key: string]: unknown };

/** Loads a YAML file (anchors and merge keys resolved) as a plain object. */
export function readYaml(file: string): Yaml {
  const v = yaml.load(fs.readFileSync(file, 'utf8'), { filename: file });
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${file}: not a YAML mapping`);
  return v as Yaml;
}

/** Writes an object as YAML (no anchors, no line folding). */
export function writeYaml(file: string, value: unknown, header?: string): void {
  const body = yaml.dump(value, { noRefs: true, lineWidth: -1 });
  fs.writeFileSync(file, header ? `# ${header.split('\n').join('\n# ')}\n${body}` : body);
}

const isMapping = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep-merges overrides into a copy of base: mappings merge key by key, anything else (scalars,
 * lists, null) replaces. Fabric's config keys are case-insensitive for viper, but we keep the
 * sample's spelling, so an override must use the same case as the sample.
 */
export function deepMerge(base: Yaml, overrides: Yaml): Yaml {
  const out: Yaml = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    const cur = out[k];
    out[k] = isMapping(cur) && isMapping(v) ? deepMerge(cur, v) : v;
  }
  return out;
}
