// The named export: with moduleResolution node16 the default one is the module, not the class.
import { EventEmitter } from 'eventemitter3';
import type { JobEvent, JobEvents } from '../../specs/job-events.js';

/**
 * The embedded event bus: events reach the subscribers of this process, synchronously, in
 * publish order. Nothing is ever missed, so `onResync` never fires.
 */
export function createInMemoryJobEvents(): JobEvents {
  const bus = new EventEmitter<{ event: [JobEvent] }>();
  return {
    specificationVersion: 'v1',
    name: 'in-memory',
    async publish(event) {
      bus.emit('event', event);
    },
    subscribe(listener, { types } = {}) {
      const filtered = types ? (event: JobEvent) => types.includes(event.type) && listener(event) : listener;
      bus.on('event', filtered);
      return () => void bus.off('event', filtered);
    },
    onResync() {
      return () => {};
    },
    async close() {
      bus.removeAllListeners();
    },
  };
}
