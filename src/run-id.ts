import { randomBytes } from 'node:crypto';

/**
 * The id of this venomqa process's run. Every container, clone and process it starts carries it,
 * so `venomqa prune` can tell what a run that is gone left behind. Override with VENOMQA_RUN_ID
 * to group several processes (for example CI shards) under one run.
 */
export const RUN_ID: string = process.env.VENOMQA_RUN_ID || `run-${randomBytes(5).toString('hex')}`;
