export { createHttpServer, type HttpServer, type HttpServerOptions } from './create-http-server.js';
export {
  runReadinessChecks,
  type CheckOutcome,
  type ReadinessCheck,
  type ReadinessReport,
} from './readiness.js';
