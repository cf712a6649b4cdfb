import type { FastifyInstance } from 'fastify';

const otherMethods = ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/** 405 with `Allow: POST` for the other common methods on a webhook path (upstream accepted any method). */
export function methodNotAllowed(scope: FastifyInstance, path: string): void {
  scope.route({
    method: [...otherMethods],
    url: path,
    exposeHeadRoute: false,
    handler: async (request, reply) =>
      await reply
        .code(405)
        .header('Allow', 'POST')
        .send({ error: `${request.method} is not allowed here; alerts are sent with POST` }),
  });
}
