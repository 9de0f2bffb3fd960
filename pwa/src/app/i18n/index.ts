/**
 * A tiny message lookup: `t('home.greeting', { name })`. Vietnamese is the source catalog; another
 * language is a `Catalog` (every key, checked by the compiler) passed to `setCatalog`.
 */
import { vi } from './vi';

export type MessageKey = keyof typeof vi;
export type Catalog = Readonly<Record<MessageKey, string>>;
export type Params = Readonly<Record<string, string | number>>;

let current: Catalog = vi;

export function setCatalog(catalog: Catalog): void {
  current = catalog;
}

/** The message for `key` with `{name}` placeholders filled; unknown placeholders are left as written. */
export function t(key: MessageKey, params?: Params): string {
  const template = current[key] ?? vi[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}
