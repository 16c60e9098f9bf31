export { runJourneys, type RunJourneysOptions } from './run-journeys.js';
export { loadJourneys, JourneyLoadError, type LoadedJourney } from './load-journeys.js';
