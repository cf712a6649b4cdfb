/**
 * Per-turn LangChain middleware: the step limit (model calls per turn; the next call is not made, the turn
 * ends with what was gathered) and the time spent inside model calls (so the time Aegis adds can be told
 * apart from the model's).
 */
import { createMiddleware } from 'langchain';

export interface TurnMeter {
  modelCalls: number;
  /** Milliseconds inside model calls (request conversion, HTTP, response parsing). */
  modelMs: number;
  stepLimitReached: boolean;
}

export function createTurnMeter(): TurnMeter {
  return { modelCalls: 0, modelMs: 0, stepLimitReached: false };
}

export function turnMiddleware(meter: TurnMeter, maxSteps: number) {
  return createMiddleware({
    name: 'AegisTurnLimits',
    beforeModel: {
      canJumpTo: ['end'],
      hook: () => {
        if (meter.modelCalls >= maxSteps) {
          meter.stepLimitReached = true;
          return { jumpTo: 'end' as const };
        }
        meter.modelCalls += 1;
        return undefined;
      },
    },
    wrapModelCall: async (request, handler) => {
      const started = performance.now();
      try {
        return await handler(request);
      } finally {
        meter.modelMs += performance.now() - started;
      }
    },
  });
}
