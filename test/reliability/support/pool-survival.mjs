// What apps' connection pools make of API-slot swaps: the slot database is replaced in place
// (lock out, end sessions, rename) while the apps keep running. Shared by
// bench/pool-survival.mjs (the table) and test/reliability/pool-survival.test.ts (the assert).
import { setTimeout as sleep } from 'node:timers/promises';
import { request, startPoolApi } from './pool-api.mjs';

function tally(codes, code) {
  codes[code] = (codes[code] ?? 0) + 1;
}

/** Poll GET /health as the runner does after a swap; false when it never answered 200. */
async function healthy(api, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !api.exited) {
    if ((await request(api, 'GET', '/health')).ok) return true;
    await sleep(10);
  }
  return false;
}

/**
 * Run one API per fixture on `databaseUrl` and swap the database under them `swaps` times.
 * After each swap (with `probe`, once GET /health answers, as the runner waits for health) the
 * first real request to each API, GET /count, must succeed and see the snapshot's
 * `expectedCount` rows; then each API's POST /items writes a row (so a database that was not
 * replaced would show) and leaves an idle connection in its pool for the next swap to end. With
 * `hammer` > 0, that many loops per API send GET /count back to back during all of it (an app
 * busy in the background while the runner swaps). An API that dies is restarted and counted.
 *
 * @param {object} options
 * @param {string[]} options.fixtures names from POOL_FIXTURES
 * @param {string} options.databaseUrl what the APIs connect to (the slot, or a pooler in front)
 * @param {() => Promise<unknown>} options.swap replaces the slot database with the snapshot
 * @param {number} options.swaps
 * @param {boolean} options.probe GET /health until it answers before the first request
 * @param {number} options.hammer background request loops per API (0: quiet between swaps)
 * @param {number} options.expectedCount rows in the snapshot's items table
 * @returns per fixture: failed first requests (and their codes), deaths, hammered requests and
 *   failures, wrong data seen by a first request
 */
export async function measureSwaps({
  fixtures,
  databaseUrl,
  swap,
  swaps,
  probe,
  hammer = 0,
  expectedCount,
}) {
  const slots = [];
  try {
    for (const fixture of fixtures) {
      slots.push({
        fixture,
        api: await startPoolApi(fixture, databaseUrl),
        result: {
          firstFailed: 0,
          firstCodes: {},
          wrongData: 0,
          deaths: 0,
          hammered: 0,
          hammerFailed: 0,
          hammerCodes: {},
        },
      });
    }
    let running = true;
    const loop = async (slot) => {
      while (running) {
        const api = slot.api;
        const response = await request(api, 'GET', '/count');
        slot.result.hammered += 1;
        if (!response.ok) {
          slot.result.hammerFailed += 1;
          tally(slot.result.hammerCodes, response.code);
          if (api.exited) await sleep(5); // the swap loop restarts it
        }
      }
    };
    const loops = slots.flatMap((slot) => Array.from({ length: hammer }, () => loop(slot)));
    try {
      for (let i = 0; i < swaps; i++) {
        await swap();
        // Every API's first request before any writes: they share the database.
        for (const slot of slots) await firstRequest(slot, { databaseUrl, probe, expectedCount });
        for (const slot of slots) await request(slot.api, 'POST', '/items');
      }
      for (const slot of slots) if (slot.api.exited) slot.result.deaths += 1;
    } finally {
      running = false;
      await Promise.all(loops);
    }
  } finally {
    await Promise.all(slots.map((slot) => slot.api.stop()));
  }
  return Object.fromEntries(slots.map((slot) => [slot.fixture, slot.result]));
}

async function firstRequest(slot, { databaseUrl, probe, expectedCount }) {
  const { result } = slot;
  if (probe) await healthy(slot.api);
  if (slot.api.exited) {
    // The runner replaces a dead API before the path starts: count it, and go on.
    result.deaths += 1;
    const dead = slot.api;
    slot.api = await startPoolApi(slot.fixture, databaseUrl);
    await dead.stop();
  }
  const first = await request(slot.api, 'GET', '/count');
  if (!first.ok) {
    result.firstFailed += 1;
    tally(result.firstCodes, first.code);
  } else if (first.body?.count !== expectedCount) {
    result.firstFailed += 1;
    result.wrongData += 1;
    tally(result.firstCodes, `count ${first.body?.count}`);
  }
}

/** `{ code: n }` as `code×n …`, or `-`. */
export function formatCodes(codes) {
  return (
    Object.entries(codes)
      .map(([code, n]) => `${code}×${n}`)
      .join(' ') || '-'
  );
}
