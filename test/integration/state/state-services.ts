import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { parseMySQLUrl } from '../../../src/state/mysql-url.js';
import { serviceAvailable } from '../support/services.js';

/** The MariaDB/MySQL test server (`.ci/start-services.sh` prints it), or undefined. */
export const MYSQL_URL = process.env.VENOMQA_TEST_MYSQL_URL;
/** The Redis test server (`.ci/start-services.sh` prints it), or undefined. */
export const REDIS_URL = process.env.VENOMQA_TEST_REDIS_URL;

async function mysqlAnswers(): Promise<boolean> {
  if (MYSQL_URL === undefined || MYSQL_URL === '') {
    console.warn('[venomqa tests] VENOMQA_TEST_MYSQL_URL is not set (see .ci/start-services.sh)');
    return false;
  }
  try {
    const connection = await mysql.createConnection({
      ...parseMySQLUrl(MYSQL_URL),
      connectTimeout: 2000,
    });
    await connection.query('select 1');
    await connection.end();
    return true;
  } catch (error) {
    console.warn(`[venomqa tests] MariaDB does not answer: ${(error as Error).message}`);
    return false;
  }
}

async function redisAnswers(): Promise<boolean> {
  if (REDIS_URL === undefined || REDIS_URL === '') {
    console.warn('[venomqa tests] VENOMQA_TEST_REDIS_URL is not set (see .ci/start-services.sh)');
    return false;
  }
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch (error) {
    console.warn(`[venomqa tests] Redis does not answer: ${(error as Error).message}`);
    return false;
  } finally {
    client.disconnect();
  }
}

/** True when the MariaDB suite can run; fails instead of skipping under VENOMQA_REQUIRE_MYSQL=1. */
export function mysqlAvailable(): Promise<boolean> {
  return serviceAvailable('MariaDB', 'VENOMQA_REQUIRE_MYSQL', mysqlAnswers);
}

/** True when the Redis suites can run; fails instead of skipping under VENOMQA_REQUIRE_REDIS=1. */
export function redisAvailable(): Promise<boolean> {
  return serviceAvailable('Redis', 'VENOMQA_REQUIRE_REDIS', redisAnswers);
}
