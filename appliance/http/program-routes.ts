import type { FastifyInstance } from 'fastify';
import { podiumError } from '../errors.js';
import type { EventController } from '../events/event-controller.js';
import { MAX_LOWER_THIRD_LENGTH, PROGRAM_LAYOUTS, type LowerThird, type ProgramLayout } from '../signaling/protocol.js';
import { LayoutUnavailableError, type ProgramOutput } from '../../streams/program/program-output.js';

// One line each: control characters (a line break) would break the picture's layout.
const line = { type: 'string', maxLength: MAX_LOWER_THIRD_LENGTH, pattern: '^[^\\u0000-\\u001f]*$' } as const;

function requireProgram(controller: EventController): ProgramOutput {
  const program = controller.liveEvent?.program;

  if (!program) throw podiumError('PODIUM_ERR_PROGRAM_NOT_RUNNING', controller.snapshot().event?.state ?? 'no event');

  return program;
}

/** Staff routes of the program: its status, the layout, the lower third and the burned-in captions. */
export function registerProgramRoutes(app: FastifyInstance, controller: EventController): void {
  app.get('/api/program', async () => ({ program: requireProgram(controller).status }));

  app.post<{ Body: { layout: ProgramLayout } }>(
    '/api/program/layout',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['layout'],
          properties: { layout: { enum: [...PROGRAM_LAYOUTS] } },
        },
      },
    },
    async (request) => {
      const program = requireProgram(controller);

      try {
        await program.setLayout(request.body.layout);
      } catch (error) {
        if (error instanceof LayoutUnavailableError) {
          throw podiumError('PODIUM_ERR_LAYOUT_UNAVAILABLE', error.layout, error.missing);
        }
        throw error;
      }

      return { program: program.status };
    },
  );

  app.post<{ Body: { burnedIn: boolean } }>(
    '/api/program/captions',
    {
      schema: {
        body: { type: 'object', additionalProperties: false, required: ['burnedIn'], properties: { burnedIn: { type: 'boolean' } } },
      },
    },
    async (request) => {
      const program = requireProgram(controller);

      await program.setCaptionsBurnedIn(request.body.burnedIn);

      return { program: program.status };
    },
  );

  app.post<{ Body: LowerThird }>(
    '/api/program/lower-third',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['visible', 'title', 'name'],
          properties: { visible: { type: 'boolean' }, title: line, name: line },
        },
      },
    },
    async (request) => {
      const program = requireProgram(controller);

      await program.setLowerThird(request.body);

      return { program: program.status };
    },
  );
}
