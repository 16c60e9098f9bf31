import type { JourneyItem } from './journey-nodes.js';

/**
 * Problems in a journey's tree that no single builder can see: a branch naming a checkpoint
 * that is not created before it (in its own sequence or an enclosing one), a checkpoint name
 * used twice anywhere in the journey (each becomes one snapshot), two steps of one sequence
 * with the same name. Each problem says where it is (`path 'pay' › step 2`).
 */
export function journeyProblems(steps: readonly JourneyItem[]): string[] {
  const problems: string[] = [];
  const checkpointsSeen = new Set<string>();
  walk(steps, [], new Set(), checkpointsSeen, problems);
  return problems;
}

function walk(
  items: readonly JourneyItem[],
  where: readonly string[],
  visible: ReadonlySet<string>,
  allCheckpoints: Set<string>,
  problems: string[],
): void {
  const inScope = new Set(visible);
  const stepNames = new Set<string>();
  items.forEach((item, index) => {
    const at = [...where, `item ${index + 1}`].join(' › ');
    switch (item?.kind) {
      case 'step':
        if (stepNames.has(item.name)) {
          problems.push(`${at}: a second step named '${item.name}' in the same sequence`);
        }
        stepNames.add(item.name);
        break;
      case 'checkpoint':
        if (allCheckpoints.has(item.name)) {
          problems.push(`${at}: checkpoint '${item.name}' is created twice in this journey`);
        }
        allCheckpoints.add(item.name);
        inScope.add(item.name);
        break;
      case 'branch': {
        if (!inScope.has(item.checkpointName)) {
          const known = [...inScope];
          problems.push(
            `${at}: branch from checkpoint '${item.checkpointName}', which is not created before it` +
              (known.length === 0
                ? ' (no checkpoint is created before this branch)'
                : ` (checkpoints before it: ${known.map((k) => `'${k}'`).join(', ')})`),
          );
        }
        for (const path of item.paths) {
          walk(path.steps, [...where, `path '${path.name}'`], inScope, allCheckpoints, problems);
        }
        break;
      }
      default:
        problems.push(`${at}: not a Step(), Checkpoint() or Branch()`);
    }
  });
}
