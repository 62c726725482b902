import type { EventInfo, EventSnapshot } from '../appliance/signaling/protocol.js';

/** Calls Podium's HTTP API; a failed call throws with the server's message. */
async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await response.json().catch(() => ({}))) as { message?: string };

  if (!response.ok) throw new Error(payload.message ?? `${method} ${path} failed with HTTP ${response.status}`);

  return payload as T;
}

export const api = {
  listEvents: () => call<{ events: EventInfo[] }>('GET', '/api/events').then((body) => body.events),
  createEvent: (event: { title: string; description: string; startsAt: string }) =>
    call<EventInfo>('POST', '/api/events', event),
  selectEvent: (id: string) => call<EventSnapshot>('POST', `/api/events/${encodeURIComponent(id)}/select`),
  startEvent: (id: string) => call<EventSnapshot>('POST', `/api/events/${encodeURIComponent(id)}/start`),
  stopEvent: (id: string) => call<EventSnapshot>('POST', `/api/events/${encodeURIComponent(id)}/stop`),
};
