/**
 * A module resolution hook (registered by `loadJourneys` with `module.register`) that lets
 * journey modules `import … from 'venomqa'` (or a subpath, `venomqa/state`) even where no
 * `venomqa` package can be found from them (a global `npx venomqa`, a folder outside the
 * project): the import then gets the copy of venomqa that is running the journeys. A `venomqa`
 * that resolves normally is left alone.
 */

interface HookData {
  /** URL of the running venomqa's entry module; subpaths are the `index.js` of its folders. */
  self: string;
}

/** `venomqa/state` → `state`: a subpath as package.json `exports` names them. */
const SUBPATH = /^venomqa\/([a-z]+)$/;

interface ResolveResult {
  url: string;
  shortCircuit?: boolean;
}

type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

let self = '';

export function initialize(data: HookData): void {
  self = data.self;
}

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: NextResolve,
): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const notFound = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    if (!notFound || !self) throw error;
    if (specifier === 'venomqa') return { url: self, shortCircuit: true };
    const subpath = SUBPATH.exec(specifier)?.[1];
    if (subpath !== undefined) {
      return { url: new URL(`./${subpath}/index.js`, self).href, shortCircuit: true };
    }
    throw error;
  }
}
