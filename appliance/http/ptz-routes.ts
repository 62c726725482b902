import type { FastifyInstance } from 'fastify';
import type { PtzService } from '../ptz/ptz-service.js';

const direction = { enum: [-1, 0, 1] } as const;

/**
 * Staff routes that steer the PTZ camera: press sends a move, release a stop.
 * A move or zoom holds a lease the console renews while the button is held;
 * PtzService stops the camera when the renewals stop coming.
 */
export function registerPtzRoutes(app: FastifyInstance, ptz: PtzService): void {
  app.get('/api/ptz', async () => ptz.status());

  app.post<{ Body: { pan: -1 | 0 | 1; tilt: -1 | 0 | 1 } }>(
    '/api/ptz/move',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['pan', 'tilt'],
          properties: { pan: direction, tilt: direction },
        },
      },
    },
    async (request) => {
      await ptz.heldMove({ pan: request.body.pan, tilt: request.body.tilt });

      return { ok: true };
    },
  );

  app.post('/api/ptz/stop', async () => {
    await ptz.stop();

    return { ok: true };
  });

  app.post<{ Body: { direction: -1 | 0 | 1 } }>(
    '/api/ptz/zoom',
    {
      schema: {
        body: { type: 'object', additionalProperties: false, required: ['direction'], properties: { direction } },
      },
    },
    async (request) => {
      await ptz.heldZoom(request.body.direction);

      return { ok: true };
    },
  );

  const slotParams = {
    type: 'object',
    required: ['slot'],
    properties: { slot: { type: 'integer', minimum: 0, maximum: 15 } },
  } as const;

  app.get('/api/ptz/presets', async () => ({ presets: ptz.presets() }));

  app.post<{ Params: { slot: number } }>('/api/ptz/presets/:slot/save', { schema: { params: slotParams } }, async (request) =>
    ptz.savePreset(request.params.slot),
  );

  app.post<{ Params: { slot: number } }>('/api/ptz/presets/:slot/recall', { schema: { params: slotParams } }, async (request) => {
    await ptz.recallPreset(request.params.slot);

    return { ok: true };
  });

  app.post('/api/ptz/home', async () => {
    await ptz.home();

    return { ok: true };
  });
}
