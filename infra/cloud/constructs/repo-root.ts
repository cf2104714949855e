import { fileURLToPath } from 'node:url';

/** The repository root: NodejsFunction bundles from here and the content hash reads journeys/ and templates/ here. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/+$/, '');
