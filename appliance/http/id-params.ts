/** The schema of a route's `:id` parameter: the id of an event, invite, recording, target or meeting. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
