/**
 * Loading controller variants at run time: a built-in name (`no-ready-wait` is
 * `specs/variants/no-ready-wait.ts`), or a path to a `.ts`, `.js` or `.mjs` module. TypeScript is
 * type-checked against the controller API and transpiled in-process into a private cache file
 * that Node then imports (see `compiled`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from '../input/errors.js';
import type { ControllerVariant } from './variant.js';

/** The folder of the shipped variants (`specs/variants` at the package root). */
export const BUILTIN_VARIANTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../specs/variants');

/** `upstream` means no variant. */
export function resolveVariantPath(ref: string, relativeTo = process.cwd()): string | null {
  if (ref === 'upstream') return null;
  if (/^[a-z0-9-]+$/.test(ref)) {
    const builtin = path.join(BUILTIN_VARIANTS, `${ref}.ts`);
    if (fs.existsSync(builtin)) return builtin;
  }
  const p = path.resolve(relativeTo, ref);
  if (!fs.existsSync(p)) {
    const names = fs.existsSync(BUILTIN_VARIANTS) ? fs.readdirSync(BUILTIN_VARIANTS).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)) : [];
    throw new InputError(`controller variant '${ref}' not found (built-in variants: upstream, ${names.join(', ')}; or a path to a .ts/.js module)`);
  }
  return p;
}

/** A built-in variant's name (`specs/variants/<name>.ts`), as opposed to a module path. */
export function isBuiltinVariant(ref: string): boolean {
  return /^[a-z0-9-]+$/.test(ref) && fs.existsSync(path.join(BUILTIN_VARIANTS, `${ref}.ts`));
}

/**
 * The variant a *data file* names (a scenario's `controller:` key), which runs code the user did
 * not name on the command line: a built-in variant, or a module inside the file's own folder tree
 * (the user chose to check that folder). Anything else is refused with one line; the caller says
 * which module it loads.
 */
export function resolveDataVariantPath(ref: string, dataFile: string): string | null {
  if (ref === 'upstream') return null;
  if (isBuiltinVariant(ref)) return resolveVariantPath(ref);
  const root = fs.realpathSync(path.dirname(path.resolve(dataFile)));
  const file = resolveVariantPath(ref, path.dirname(dataFile));
  const real = file === null ? null : fs.realpathSync(file);
  if (real === null || (real !== root && !real.startsWith(root + path.sep))) {
    throw new InputError(`${dataFile}: controller '${ref}' is outside the scenario's folder: a scenario may name a built-in variant or a module in its own folder tree; to run another module, name it on the command line with --controller`);
  }
  return real;
}

/** How a trace names a variant: a built-in by its name (portable), any other by its path. */
export function variantReference(file: string): string {
  const builtin = path.join(BUILTIN_VARIANTS, `${path.basename(file, '.ts')}.ts`);
  return path.resolve(file) === builtin ? path.basename(file, '.ts') : path.resolve(file);
}

const loaded = new Map<string, Promise<ControllerVariant>>();
/** For a loaded `.ts` variant, the transpiled module: what worker threads import (no TypeScript there). */
const runnable = new Map<string, string>();

/** The module a worker thread should import for a variant that `loadVariant` has loaded. */
export function runnableVariantPath(file: string): string {
  return runnable.get(file) ?? file;
}

export function loadVariant(file: string): Promise<ControllerVariant> {
  let v = loaded.get(file);
  if (!v) {
    v = importVariant(file);
    loaded.set(file, v);
  }
  return v;
}

async function importVariant(file: string): Promise<ControllerVariant> {
  let url: string;
  if (file.endsWith('.ts')) {
    const target = compiled(file);
    runnable.set(file, target);
    url = pathToFileURL(target).href;
  } else {
    url = pathToFileURL(file).href;
  }
  let mod: { default?: unknown };
  // Its top level runs on import: `process.exit` there is an error too (see `shielded`).
  const exit = process.exit;
  process.exit = ((code?: number | string | null) => {
    throw new InputError(`controller variant ${file} called process.exit(${code ?? ''}) while loading: a variant must not end the run`);
  }) as typeof process.exit;
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`controller variant ${file} failed to load: ${(e as Error)?.message ?? String(e)}`);
  } finally {
    process.exit = exit;
  }
  const v = mod.default as ControllerVariant | undefined;
  if (!v || typeof v !== 'object' || typeof v.name !== 'string' || typeof v.controller !== 'function') {
    throw new InputError(`controller variant ${file} must export default { name, description, controller(api, upstream) }`);
  }
  return v;
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * The transpiled module of a `.ts` variant, compiled (and type-checked) once per source content.
 * The cache is a folder only this user can write (created with mode 700; an existing one must be
 * a real directory owned by the user with no group or other permissions, else it is refused), so
 * no other user can plant a module there; an entry's name carries the hash of its content, checked
 * before it is used, and entries are written under a temporary name and renamed, so a torn or
 * altered entry is compiled again, never imported.
 */
function compiled(file: string): string {
  const source = fs.readFileSync(file, 'utf8');
  const dir = cacheDir();
  const key = `${path.basename(file, '.ts').replace(/[^A-Za-z0-9_-]/g, '_')}-${sha256(`${path.resolve(file)}\0${source}`).slice(0, 24)}`;
  for (const entry of fs.readdirSync(dir)) {
    if (!entry.startsWith(`${key}-`) || !entry.endsWith('.mjs')) continue;
    const at = path.join(dir, entry);
    if (sha256(fs.readFileSync(at, 'utf8')).slice(0, 24) === entry.slice(key.length + 1, -4)) return at;
    fs.rmSync(at, { force: true });
  }
  const js = transpile(file, source);
  typeCheck(file);
  const target = path.join(dir, `${key}-${sha256(js).slice(0, 24)}.mjs`);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, js, { mode: 0o600 });
  fs.renameSync(tmp, target);
  return target;
}

function cacheDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), `stsmc-variants-${uid ?? os.userInfo().username}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`cannot create the variant cache ${dir}: ${(e as Error).message}`);
  }
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw new InputError(`refusing the variant cache ${dir}: it must be a directory owned by you that only you can access (mode 700); remove it and run again`);
  }
  return dir;
}

// require, not import: importing the compiler as an ES module makes Node scan all of its 9 MB.
const typescript = () => createRequire(import.meta.url)('typescript') as typeof import('typescript');

/** The controller API's types, for checking a variant: `src/spec/variant.ts` beside the built code. */
const VARIANT_TYPES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/spec/variant.ts');

/**
 * Type-checks a TypeScript variant against the controller API, so that a mistake such as
 * `c.pod(i).redy` is one line naming the file and line, not a silent `undefined` that changes
 * verdicts. The variant imports the API's types from the stsmc sources (`src/spec/variant.js`,
 * relative, as the shipped variants do) or as `stsmc/variant`. Where the sources are not installed
 * the check is skipped (transpiling still catches syntax errors).
 */
function typeCheck(file: string): void {
  if (!fs.existsSync(VARIANT_TYPES)) return;
  const ts = typescript();
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
    paths: { 'stsmc/variant': [VARIANT_TYPES] },
  });
  const own = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error && d.file !== undefined && path.resolve(d.file.fileName) === path.resolve(file));
  const first = own[0];
  if (first === undefined) return;
  const { line, character } = first.file!.getLineAndCharacterOfPosition(first.start ?? 0);
  const more = own.length > 1 ? ` (and ${own.length - 1} more type error${own.length > 2 ? 's' : ''})` : '';
  throw new InputError(`controller variant ${file}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}${more}`);
}

function transpile(file: string, source: string): string {
  const ts = typescript();
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  });
  const error = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) throw new InputError(`controller variant ${file}: ${ts.flattenDiagnosticMessageText(error.messageText, ' ')}`);
  return out.outputText;
}
