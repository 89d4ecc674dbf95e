// Scenario runs through the API model: the shipped scenarios, and a run of one (shipped, or a
// document) that goes on in the background like a conformance run. Built by the scenario work;
// until then every method says so.
import { ApiModelError } from './errors';
import type { ApiEngine, ApiModel, ApiRooms } from './types';

type ScenariosApi = Pick<ApiModel, 'scenarios' | 'runScenario'>;

const notYet = (): Promise<never> =>
  Promise.reject(new ApiModelError('not-available', 'scenarios are not built yet'));

export function createScenariosApi(_engine: ApiEngine, _rooms: ApiRooms): ScenariosApi {
  return { scenarios: notYet, runScenario: notYet };
}
