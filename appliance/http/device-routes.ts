import type { FastifyInstance } from 'fastify';
import type { DeviceSetup } from '../devices/device-setup.js';
import type { DeviceSelection } from '../signaling/protocol.js';

/**
 * Staff routes of the console's setup screen: the discovered cameras and
 * microphones, their previews and meters, and the choice of the devices
 * that events use.
 */
export function registerDeviceRoutes(app: FastifyInstance, devices: DeviceSetup): void {
  app.get('/api/devices', async () => devices.info());

  app.post('/api/devices/refresh', async () => {
    await devices.refresh();

    return devices.info();
  });

  app.get('/api/devices/previews', async () => devices.previews());

  app.get<{ Params: { id: string } }>(
    '/api/devices/cameras/:id/picture',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 200 } } } } },
    async (request, reply) => {
      const picture = devices.picture(request.params.id);

      reply.header('Cache-Control', 'no-store');
      if (!picture) return reply.code(204).send();

      return reply.type('image/jpeg').send(picture);
    },
  );

  app.post<{ Body: DeviceSelection }>(
    '/api/devices/selection',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['camera', 'microphone'],
          properties: {
            camera: { type: 'string', minLength: 1, maxLength: 200 },
            microphone: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
      },
    },
    async (request) => ({ selection: devices.select(request.body) }),
  );
}
