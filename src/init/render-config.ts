import type { InitPlan } from './init-plan.js';

/** A YAML scalar: plain where YAML reads it back as the same string, else double-quoted. */
function scalar(value: string): string {
  const plain =
    /^[A-Za-z_./][\w./:@+-]*$/.test(value) &&
    !/:$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

function list(values: readonly string[]): string {
  return `[${values.map(scalar).join(', ')}]`;
}

/**
 * The commented `venomqa.yaml` for a plan: every key it sets says why, and what to change when
 * the guess is wrong. Only keys of the config schema are written.
 */
export function renderConfig(plan: InitPlan): string {
  const lines = [
    '# venomqa.yaml, written by `venomqa init`: check the lines marked "check" and run',
    '#   npx venomqa run',
    '# Paths are relative to this file; commands run in this folder without a shell.',
    '# `npx venomqa config` prints every setting as venomqa resolves it.',
    'journeys: [journeys]',
    '# Paths of a branch run at the same time, each on its own database clone and API process.',
    'parallel_paths: 2',
    'report_formats: [markdown]',
  ];
  if (plan.setup !== undefined && plan.migrationTool !== undefined) {
    lines.push(
      `# Run once against a new empty database (DATABASE_URL is set to it) before the first`,
      `# journey; the migrated database is kept as a template and made again when one of`,
      `# \`inputs\` changes. Found: ${plan.migrationTool.tool} (${plan.migrationTool.evidence.join(', ')}).`,
      'setup:',
      `  command: ${list(plan.setup.command)}`,
      `  inputs: ${list(plan.setup.inputs)}`,
    );
  } else {
    lines.push(
      '# check: no migration tool found. setup.command creates the schema in a new empty database',
      '# (DATABASE_URL is set to it); the result is cached as a template.',
      '# setup:',
      '#   command: [npm, run, migrate]',
      '#   inputs: [migrations]',
    );
  }
  lines.push(
    'api:',
    '  # venomqa starts the API itself, one process per slot, each on its own database.',
    '  mode: process',
    `  command: ${list(plan.api.command)}`,
    '  # Waited for (200) before a path starts.',
    `  health: ${scalar(plan.api.health)}`,
    '  # {port}, {database_url} and {host} are filled in per API process; DATABASE_URL and PORT',
    '  # are always set as well.',
    '  env:',
    ...Object.entries(plan.api.env).map(([name, value]) => `    ${name}: ${scalar(value)}`),
  );
  if (plan.otherVariables.length > 0) {
    lines.push('    # check: the app reads these too; set the ones it needs.');
    for (const variable of plan.otherVariables) lines.push(`    # ${variable.name}: ''`);
  }
  return `${lines.join('\n')}\n`;
}
