/**
 * A module resolution hook (registered by `loadJourneys` with `module.register`) that lets
 * journey modules `import … from 'venomqa'` even where no `venomqa` package can be found from
 * them (a global `npx venomqa`, a folder outside the project): the import then gets the copy of
 * venomqa that is running the journeys. A `venomqa` that resolves normally is left alone.
 */

interface HookData {
  /** URL of the running venomqa's entry module. */
  self: string;
}

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
    if (specifier === 'venomqa' && notFound && self) return { url: self, shortCircuit: true };
    throw error;
  }
}
