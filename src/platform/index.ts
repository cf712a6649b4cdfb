export { findFreePort } from './free-port.js';
export { pingRedis, redisProcessId, sendRedisCommand } from './redis-ping.js';
export { startRedisProcess, type RedisProcess, type RedisProcessOptions } from './redis-process.js';
export { createRedisHealth, type RedisHealth } from './redis-health.js';
export { probeRedis, redactRedisUrl } from './redis-probe.js';
export { shutdownOnSignal, type ShutdownHandle, type ShutdownOptions } from './shutdown-on-signal.js';
export {
  closeRedis,
  createRedisConnections,
  type RedisConnectionKind,
  type RedisConnections,
} from './redis-connections.js';
export { LuaScript } from './lua-script.js';
