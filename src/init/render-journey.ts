import type { InitPlan } from './init-plan.js';

/**
 * The example journey: GET the health route, take a checkpoint, and branch into two paths that
 * each start from it on their own database clone. It passes against any app whose health route
 * answers 200, and shows where the real steps go.
 */
export function renderJourney(plan: InitPlan): string {
  const health = `'${plan.api.health.replace(/['\\]/g, '\\$&')}'`;
  const typescript = plan.journeyFile.endsWith('.ts');
  return `// An example journey written by \`venomqa init\`: run it with \`npx venomqa run\`.
// A journey walks the API through steps; a checkpoint keeps the database as it is there, and
// each path of a branch starts from that state on its own clone, at the same time as the others.
import { Branch, Checkpoint, Journey, Path, Step${typescript ? ', type HttpClient' : ''} } from 'venomqa';

const healthy = (name${typescript ? ': string' : ''}) =>
  Step({ name, expect: { status: 200 }, action: (api${typescript ? ': HttpClient' : ''}) => api.get(${health}) });

export default Journey({
  name: 'example',
  description: 'The API answers its health route, before and after a checkpoint.',
  steps: [
    healthy('health'),
    // Replace with steps that create what your paths share (a user, a login, an order).
    Checkpoint({ name: 'started' }),
    Branch({
      checkpointName: 'started',
      paths: [
        Path({ name: 'first', steps: [healthy('health_again')] }),
        Path({ name: 'second', steps: [healthy('health_again')] }),
      ],
    }),
  ],
});
`;
}
