// One line of text per simulator event for the events table: the shared
// wording (src/model/text.ts) and the kinds in filter order.
export { eventCpu, eventText, ownerChangeText } from '../../model/text';

/** Event kinds in the order the filters offer them (one table: src/model/event_kinds.ts). */
export { KINDS_FOR_FILTERS as EVENT_KINDS } from '../../model/event_kinds';
