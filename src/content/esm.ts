/**
 * Loads an ESM-only package from this CommonJS build. TypeScript would rewrite a plain import()
 * into require(), which ESM-only packages refuse; a Function body is left alone.
 */
export const importEsm = new Function("specifier", "return import(specifier)") as <T>(specifier: string) => Promise<T>;
